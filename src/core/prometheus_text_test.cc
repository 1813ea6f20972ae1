#include "core/prometheus_text.h"

#include <gtest/gtest.h>

namespace hookline {
namespace {

TEST(PrometheusTextTest, FamiliesHaveHelpTypeAndEscapedLabels) {
  PrometheusText text;
  text.family("hookline_x_total", "counter", "Things.")
      .sample("hookline_x_total", {{"route", "/v1/a\"b\\c\nd"}, {"code", "2xx"}}, 3)
      .single("hookline_y", "gauge", "A gauge.", 0.25);
  EXPECT_EQ(text.take(),
            "# HELP hookline_x_total Things.\n"
            "# TYPE hookline_x_total counter\n"
            "hookline_x_total{route=\"/v1/a\\\"b\\\\c\\nd\",code=\"2xx\"} 3\n"
            "# HELP hookline_y A gauge.\n"
            "# TYPE hookline_y gauge\n"
            "hookline_y 0.25\n");
}

TEST(PrometheusTextTest, AHistogramHasCumulativeBucketsSumAndCount) {
  const std::array<double, 2> bounds = {0.25, 0.5};
  Histogram histogram(bounds);
  histogram.observe(0.125);
  histogram.observe_ms(250);  // on the bound: in it
  histogram.observe(0.375);
  histogram.observe_us(2'000'000);
  PrometheusText text;
  text.histogram("d_seconds", {{"w", "a"}}, histogram.snapshot());
  EXPECT_EQ(text.take(),
            "d_seconds_bucket{w=\"a\",le=\"0.25\"} 2\n"
            "d_seconds_bucket{w=\"a\",le=\"0.5\"} 3\n"
            "d_seconds_bucket{w=\"a\",le=\"+Inf\"} 4\n"
            "d_seconds_sum{w=\"a\"} 2.75\n"
            "d_seconds_count{w=\"a\"} 4\n");
}

}  // namespace
}  // namespace hookline
