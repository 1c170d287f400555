// Must NOT compile under -Werror=unused-result: a result discarded unchecked hides a failure.
#include <deepseek/json.hpp>

void load_and_forget() { deepseek::try_load_config<deepseek::DeepseekV3Config>("config.json"); }
