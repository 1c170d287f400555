# Run by the CTest tests <batch>_covers_every_case (tests/CMakeLists.txt): a batch's test cases,
# listed whole and then file by file through Catch's filename tags (-#, the way CTest's names are
# found), must agree, and every file must have a case. A Catch2 whose -# tagged nothing would
# otherwise leave a file's cases out of CTest without a word.
#   -D EXE=<the batch executable> -D FILES=<its test files, "a|b|c"> -D LIST=<Catch's listing option(s), "|"-separated>
string(REPLACE "|" ";" _files "${FILES}")
string(REPLACE "|" ";" _list "${LIST}")

# The number of names Catch lists for `args` (one name a line; counted by newlines, not as a CMake
# list, since a name may hold a ';'). Not its exit code: Catch v2 exits with the number listed.
function(_count_cases out)
  execute_process(COMMAND "${EXE}" ${ARGN} ${_list} OUTPUT_VARIABLE _text)
  string(REGEX REPLACE "[^\n]" "" _newlines "${_text}")
  string(LENGTH "${_newlines}" _n)
  set(${out} ${_n} PARENT_SCOPE)
endfunction()

_count_cases(_all)
set(_sum 0)
foreach(_file IN LISTS _files)
  _count_cases(_n "-#" "[#${_file}]")
  if(_n EQUAL 0)
    message(FATAL_ERROR "${_file}: no test case found by its filename tag [#${_file}] in ${EXE}")
  endif()
  math(EXPR _sum "${_sum} + ${_n}")
endforeach()
if(NOT _sum EQUAL _all)
  message(FATAL_ERROR "${EXE}: ${_all} test cases, but its files' filename tags find ${_sum}")
endif()
message(STATUS "${EXE}: all ${_all} test cases found file by file")
