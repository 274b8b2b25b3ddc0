# Runs `npm ci` in WEB_DIR when node_modules is missing or older than package-lock.json.
# npm writes node_modules/.package-lock.json on every install, so its age tells whether
# the installed packages match the lock file.
#
#   cmake -DNPM=/usr/bin/npm -DWEB_DIR=/path/to/web -P npm-ci-if-needed.cmake

if(NOT NPM OR NOT WEB_DIR)
  message(FATAL_ERROR "npm-ci-if-needed.cmake needs -DNPM=... and -DWEB_DIR=...")
endif()

set(lock_file "${WEB_DIR}/package-lock.json")
set(installed_marker "${WEB_DIR}/node_modules/.package-lock.json")

if(NOT EXISTS "${installed_marker}" OR "${lock_file}" IS_NEWER_THAN "${installed_marker}")
  message(STATUS "web: installing npm packages (npm ci)")
  execute_process(
    COMMAND "${NPM}" ci --prefer-offline --no-audit --no-fund
    WORKING_DIRECTORY "${WEB_DIR}"
    RESULT_VARIABLE npm_result)
  if(NOT npm_result EQUAL 0)
    message(FATAL_ERROR "web: npm ci failed (${npm_result})")
  endif()
endif()
