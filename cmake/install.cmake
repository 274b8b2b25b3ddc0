# Installation: the library, its public headers and a CMake package (find_package(chatd) →
# chatd::chatd), the chatd and chatctl programs.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(chatd_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/chatd)

install(TARGETS chatd chatd_domain chatd_config chatd_storage chatd_mock_provider
        EXPORT chatd_targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS chatd_main chatctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT chatd_targets NAMESPACE chatd:: FILE chatdTargets.cmake
        DESTINATION ${chatd_cmake_dir})

# The public surface: include/chatd/chatd.hpp and the headers it includes, by their paths.
set(chatd_public_headers
    app/service.hpp
    actors/interfaces.hpp
    actors/account_messages.hpp
    actors/admin_messages.hpp
    actors/domain_inspect.hpp
    actors/status_messages.hpp
    actors/storage_messages.hpp
    actors/turn_messages.hpp
    config/settings.hpp
    config/settings_loader.hpp
    domain/error.hpp
    domain/records.hpp
    domain/responses_request.hpp)
foreach(header IN LISTS chatd_public_headers)
  get_filename_component(dir ${header} DIRECTORY)
  install(FILES ${PROJECT_SOURCE_DIR}/${header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chatd/${dir})
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/include/chatd/chatd.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/chatd)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/chatdConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/chatdConfig.cmake
                              INSTALL_DESTINATION ${chatd_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/chatdConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/chatdConfig.cmake ${PROJECT_BINARY_DIR}/chatdConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/chatd_dependencies.cmake
        DESTINATION ${chatd_cmake_dir})
