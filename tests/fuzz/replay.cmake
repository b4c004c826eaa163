# The fuzz harnesses' seed corpora, replayed once each by CTest so that a
# regression shows without any fuzzing time: scripts/fuzz.sh builds the
# harnesses with clang and libFuzzer in fuzz/ of this build tree (the test
# fuzz_build, which the replays wait for), then fuzz_replay_NAME runs
# harness NAME over tests/fuzz/corpus/NAME. Without clang's libFuzzer they
# are left out, with a message.
set(MMIO_FUZZ_AVAILABLE OFF)
find_program(MMIO_FUZZ_CLANG clang)
if(MMIO_FUZZ_CLANG)
  set(probe ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe)
  file(WRITE ${probe}.c "#include <stddef.h>\n#include <stdint.h>\n"
    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n"
    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n")
  execute_process(
    COMMAND ${MMIO_FUZZ_CLANG} -fsanitize=fuzzer,address,undefined ${probe}.c -o ${probe}
    RESULT_VARIABLE probe_failed OUTPUT_QUIET ERROR_QUIET)
  if(NOT probe_failed)
    set(MMIO_FUZZ_AVAILABLE ON)
  endif()
endif()

if(MMIO_FUZZ_AVAILABLE)
  set(fuzz_sh ${PROJECT_SOURCE_DIR}/scripts/fuzz.sh -B ${PROJECT_BINARY_DIR}/fuzz)
  add_test(NAME fuzz_build COMMAND sh ${fuzz_sh} build)
  set_tests_properties(fuzz_build PROPERTIES FIXTURES_SETUP mmio_fuzz LABELS fuzz TIMEOUT 900)
  file(GLOB corpora LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/corpus/*)
  foreach(corpus IN LISTS corpora)
    if(IS_DIRECTORY ${corpus})
      get_filename_component(name ${corpus} NAME)
      add_test(NAME fuzz_replay_${name} COMMAND sh ${fuzz_sh} replay ${name})
      set_tests_properties(fuzz_replay_${name} PROPERTIES FIXTURES_REQUIRED mmio_fuzz LABELS fuzz)
    endif()
  endforeach()
else()
  message(WARNING "mmio: the fuzz harnesses' corpus replays are left out: clang with libFuzzer "
                  "was not found (install clang and libclang-rt-14-dev; scripts/deps.sh test does)")
endif()
