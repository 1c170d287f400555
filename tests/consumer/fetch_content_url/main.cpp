#define DSC_CONSUMER_NAME "fetch_content_url"
#include "../common/program.hpp"
