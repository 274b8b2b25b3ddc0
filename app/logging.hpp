#pragma once

#include <string>

namespace chatd::app {

/// One line per event, `key=value` fields, to stdout, at `level` (trace … off). Writes happen
/// on a logging thread of their own: an actor that logs never waits for the terminal or disk
/// (and under a flood of lines, the oldest queued ones are dropped rather than blocking).
void configure_logging(const std::string& level);

} // namespace chatd::app
