#define DSC_CONSUMER_NAME "find_package"
#include "../common/program.hpp"
