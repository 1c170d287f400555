#define DSC_CONSUMER_NAME "find_package_components"
#include "../common/program.hpp"
