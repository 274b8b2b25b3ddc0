#include <catch2/catch.hpp>

#include "domain/timer_slots.hpp"

using namespace std::chrono;
using chatd::domain::slotted_delay;

TEST_CASE("a slotted timer fires within the interval, at most one slot early") {
  const nanoseconds interval = seconds(1);
  for (nanoseconds now :
       {nanoseconds(0), nanoseconds(1), nanoseconds(milliseconds(49)),
        milliseconds(50) - nanoseconds(1), milliseconds(123'456'789) + nanoseconds(7)}) {
    auto d = slotted_delay(now, interval);
    CHECK(d <= interval);
    CHECK(d > interval - milliseconds(50));
    CHECK((now + d) % milliseconds(50) == nanoseconds(0));
  }
}

TEST_CASE("timers started at different moments of one slot fire together") {
  auto base = seconds(1000);
  auto first = base + milliseconds(1) + slotted_delay(base + milliseconds(1), seconds(1));
  auto last = base + milliseconds(49) + slotted_delay(base + milliseconds(49), seconds(1));
  CHECK(first == last);
  auto next = base + milliseconds(51) + slotted_delay(base + milliseconds(51), seconds(1));
  CHECK(next == first + milliseconds(50));
}

TEST_CASE("a short interval gets slots of a quarter of it") {
  auto d = slotted_delay(milliseconds(3), milliseconds(20));
  CHECK(d <= milliseconds(20));
  CHECK(d > milliseconds(15));
  CHECK((milliseconds(3) + d) % milliseconds(5) == nanoseconds(0));
}
