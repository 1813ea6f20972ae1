# Writes OUTPUT: a C++ file defining `std::string_view NAMESPACE::FUNCTION()` that returns INPUT's
# text. The bytes go in as a char array, not a string literal: any content and any length compile
# (ISO C++ only promises string literals up to 65,536 characters).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
# About 16 bytes to a line, so the generated file stays readable in a diff tool.
string(REPEAT "'[^']*'," 16 line_pattern)  # CMake regexes have no {n}
string(REGEX REPLACE "(${line_pattern})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by cmake/embed_text.cmake. Do not edit.\n#include <string_view>\n\nnamespace ${NAMESPACE} {\nnamespace {\n\nconstexpr char kText[] = {\n    ${bytes}'\\0'};\n\n}  // namespace\n\nstd::string_view ${FUNCTION}() { return {kText, ${size}}; }\n\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
