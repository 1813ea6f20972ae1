# Writes OUTPUT: a C++ file defining `std::string_view NAMESPACE::FUNCTION()` that returns INPUT's text.
file(READ "${INPUT}" text)
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by cmake/embed_text.cmake. Do not edit.\n#include <string_view>\n\nnamespace ${NAMESPACE} {\n\nstd::string_view ${FUNCTION}() {\n  return R\"hooklinetext(${text})hooklinetext\";\n}\n\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
