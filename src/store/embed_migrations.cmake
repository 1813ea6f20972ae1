# Writes OUTPUT: a C++ file holding every MIGRATIONS_DIR/NNNN_*.sql as {version, name, sql}, so the
# binary carries its schema and needs no files beside it. It defines `NAMESPACE::migrations()`,
# declared in HEADER; each store has its own (SQLite's by default).
if(NOT NAMESPACE)
  set(NAMESPACE hookline::store)
endif()
if(NOT HEADER)
  set(HEADER store/migrations.h)
endif()
file(GLOB sql_files "${MIGRATIONS_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(path IN LISTS sql_files)
  get_filename_component(name "${path}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" version "${name}")
  math(EXPR version "${version}")
  file(READ "${path}" sql)
  string(APPEND body "    {${version}, \"${name}\", R\"hooklinesql(${sql})hooklinesql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${MIGRATIONS_DIR} by embed_migrations.cmake. Do not edit.\n#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\n\nconst std::vector<Migration>& migrations() {\n  static const std::vector<Migration> kMigrations = {\n${body}  };\n  return kMigrations;\n}\n\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
