// Put first on the headers_only consumer's include path: if any header it uses reaches for
// nlohmann_json, the build fails here instead of silently finding the system copy.
#error "deepseek/config.hpp and deepseek/memory.hpp must not include nlohmann/json.hpp"
