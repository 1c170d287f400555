// Must NOT compile: load_config<T> and friends take AnyConfig or a config type, nothing else.
#include <deepseek/json.hpp>

int load_an_int() { return deepseek::parse_config<int>("{}"); }
