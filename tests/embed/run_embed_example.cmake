# Installs the built tree into a fresh prefix, builds examples/embed against that package as a
# user would (find_package(chatd)), and runs it. Called by ctest; see CMakeLists.txt.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR CXX_COMPILER CXX_FLAGS LINK_FLAGS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(example_build ${WORK_DIR}/build)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed -B ${example_build} -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
run(${CMAKE_COMMAND} --build ${example_build})
run(${example_build}/embed_example ${WORK_DIR}/embedded.db)
