// Must NOT compile: DeepSeek-OCR-2 tiles pages differently (768-pixel tiles, no newline tokens),
// so the DeepSeek-OCR page budget refuses its config rather than returning a wrong number.
#include <deepseek/ocr.hpp>

const auto page = deepseek::page_layout(deepseek::OcrMode::base, 1024, 1024);
const auto bytes = deepseek::ocr_page_kv_bytes(deepseek::DeepseekOCR2Config{}, *page);
