#pragma once
// Turns a run into its result: the JSON that bench/ aggregates, and one line for a person.

#include "tools/loadgen/load_run.hpp"
#include "tools/loadgen/options.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace chatd::loadgen {

/// Every figure of the run; latencies in microseconds, memory in KiB, CPU in seconds.
nlohmann::json run_report(const options& opts, run_result& r);

/// `target S=.. R=..: ok/failed/incomplete, relay p50/p99/max, cpu/chunk, KiB/stream`.
std::string summary_line(const nlohmann::json& report);

} // namespace chatd::loadgen
