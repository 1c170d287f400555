#define DSC_CONSUMER_NAME "fetch_content"
#include "../common/program.hpp"
