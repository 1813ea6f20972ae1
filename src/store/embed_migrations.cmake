# Writes OUTPUT: a C++ file holding every migrations/NNNN_*.sql as {version, name, sql}, so the
# binary carries its schema and needs no files beside it.
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
"// Generated from src/store/migrations by embed_migrations.cmake. Do not edit.\n#include \"store/migrations.h\"\n\nnamespace hookline::store {\n\nconst std::vector<Migration>& migrations() {\n  static const std::vector<Migration> kMigrations = {\n${body}  };\n  return kMigrations;\n}\n\n}  // namespace hookline::store\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
