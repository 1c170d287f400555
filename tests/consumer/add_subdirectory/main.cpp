#define DSC_CONSUMER_NAME "add_subdirectory"
#include "../common/program.hpp"
