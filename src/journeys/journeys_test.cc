#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "journeys/filters.h"
#include "journeys/journey_json.h"
#include "journeys/runner.h"
#include "journeys/trigger_index.h"
#include "journeys/validate.h"

namespace hookline::journeys {
namespace {
namespace json = boost::json;

// The source document's sample journey (SPEC 5).
constexpr const char* kSample = R"({"name": "Sample clicks", "reentry": "every_time",
 "blocks": [
  {"id": "t", "type": "trigger", "position": {"x": 0, "y": 0},
   "config": {"event": "email.click",
              "filters": [{"field": "event_details.campaign_name", "op": "eq", "value": "Sample"}]}},
  {"id": "c", "type": "condition", "position": {"x": 0, "y": 120}, "config": {"in_list": "L"}},
  {"id": "w", "type": "webhook", "position": {"x": 0, "y": 240}, "config": {"webhook_id": "W"}},
  {"id": "d", "type": "delay", "position": {"x": 200, "y": 240}, "config": {"duration": "2d"}}],
 "edges": [{"source": "t", "target": "c"},
           {"source": "c", "target": "w", "branch": "yes"},
           {"source": "c", "target": "d", "branch": "no"}]})";

References everything_exists() {
  return {[](const std::string& id) -> Result<bool> { return id == "W"; },
          [](const std::string& id) -> Result<bool> { return id == "L"; }};
}

Result<Journey> parse(std::string_view text) {
  return journey_from_json(json::parse(text).as_object());
}

Result<void> check(std::string_view text) {
  auto journey = parse(text);
  if (!journey) return std::unexpected(journey.error());
  return validate_journey(*journey, everything_exists());
}

TEST(JourneyJsonTest, SampleJourneyParsesAndRoundTrips) {
  auto journey = parse(kSample);
  ASSERT_TRUE(journey) << journey.error().message;
  EXPECT_TRUE(validate_journey(*journey, everything_exists()));
  EXPECT_EQ(journey->blocks.size(), 4u);
  EXPECT_EQ(journey->trigger()->event, "email.click");
  EXPECT_EQ(journey->block("d")->duration_ms, 2 * 86'400'000);
  EXPECT_EQ(journey->next("c", "no")->id, "d");
  const json::object out = journey_to_json(*journey);
  EXPECT_EQ(out.at("blocks").as_array()[1].at("position").at("y").as_int64(), 120);
  EXPECT_EQ(out.at("edges").as_array()[1].at("branch").as_string(), "yes");
}

TEST(JourneyJsonTest, AGoalStandsApartWithItsEventAndFilters) {
  auto journey = parse(
      R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"cart.abandoned"}},)"
      R"({"id":"g","type":"goal","config":{"event":"order.paid","filters":[)"
      R"({"field":"event_details.total","op":"gt","value":0}]}}]})");
  ASSERT_TRUE(journey) << journey.error().message;
  EXPECT_TRUE(validate_journey(*journey, everything_exists())) << "unreachable, and rightly so";
  ASSERT_NE(journey->goal(), nullptr);
  EXPECT_EQ(journey->goal()->event, "order.paid");
  EXPECT_EQ(journey->goal()->filters.size(), 1u);
  EXPECT_EQ(journey_to_json(*journey).at("blocks").as_array()[1].at("type").as_string(), "goal");
}

TEST(JourneyJsonTest, DurationsHaveAUnit) {
  EXPECT_EQ(*parse_duration("30s"), 30'000);
  EXPECT_EQ(*parse_duration("15m"), 900'000);
  EXPECT_EQ(*parse_duration("2h"), 7'200'000);
  for (const char* bad : {"", "5", "5x", "-1d", "0s", "1.5h", "d", "400d"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

struct Case {
  const char* name;
  const char* json;
  const char* field;  // the error's field
};

TEST(ValidateJourneyTest, EveryBrokenRuleNamesItsBlock) {
  const Case
      cases[] =
          {
              {"no trigger", R"({"name":"j","blocks":[{"id":"x","type":"exit"}]})", "blocks"},
              {"two triggers",
               R"({"name":"j","blocks":[{"id":"a","type":"trigger","config":{"event":"e"}},{"id":"b","type":"trigger","config":{"event":"e"}}]})",
               "blocks.b"},
              {"unknown type", R"({"name":"j","blocks":[{"id":"a","type":"teleport"}]})",
               "blocks.a.type"},
              {"trigger without event",
               R"({"name":"j","blocks":[{"id":"a","type":"trigger","config":{}}]})",
               "blocks.a.config.event"},
              {"bad filter op",
               R"({"name":"j","blocks":[{"id":"a","type":"trigger","config":{"event":"e","filters":[{"field":"contact.x","op":"like","value":1}]}}]})",
               "blocks.a.config.filters"},
              {"bad duration",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"d","type":"delay","config":{"duration":"soon"}}],"edges":[{"source":"t","target":"d"}]})",
               "blocks.d.config.duration"},
              {"unknown webhook",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"w","type":"webhook","config":{"webhook_id":"nope"}}],"edges":[{"source":"t","target":"w"}]})",
               "blocks.w.config.webhook_id"},
              {"unknown list",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"c","type":"condition","config":{"in_list":"nope"}}],"edges":[{"source":"t","target":"c"}]})",
               "blocks.c.config.in_list"},
              {"condition edge without branch",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"c","type":"condition","config":{"in_list":"L"}},{"id":"x","type":"exit"}],"edges":[{"source":"t","target":"c"},{"source":"c","target":"x"}]})",
               "blocks.c"},
              {"unreachable block",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"x","type":"exit"}]})",
               "blocks.x"},
              {"cycle",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"a","type":"add_to_list","config":{"list_id":"L"}},{"id":"b","type":"remove_from_list","config":{"list_id":"L"}}],"edges":[{"source":"t","target":"a"},{"source":"a","target":"b"},{"source":"b","target":"a"}]})",
               "blocks.a"},
              {"exit followed by something",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"x","type":"exit"},{"id":"y","type":"exit"}],"edges":[{"source":"t","target":"x"},{"source":"x","target":"y"}]})",
               "blocks.x"},
              {"edge to nowhere",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}}],"edges":[{"source":"t","target":"ghost"}]})",
               "edges[0]"},
              {"split percents not adding up to 100",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"s","type":"split","config":{"branches":[{"name":"A","percent":50},{"name":"B","percent":40}]}}],"edges":[{"source":"t","target":"s"}]})",
               "blocks.s.config.branches"},
              {"split with one branch",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"s","type":"split","config":{"branches":[{"name":"A","percent":100}]}}],"edges":[{"source":"t","target":"s"}]})",
               "blocks.s.config.branches"},
              {"split branch named twice",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"s","type":"split","config":{"branches":[{"name":"A","percent":50},{"name":"A","percent":50}]}}],"edges":[{"source":"t","target":"s"}]})",
               "blocks.s.config.branches"},
              {"split edge to a branch it does not have",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"s","type":"split","config":{"branches":[{"name":"A","percent":50},{"name":"B","percent":50}]}},{"id":"x","type":"exit"}],"edges":[{"source":"t","target":"s"},{"source":"s","target":"x","branch":"C"}]})",
               "blocks.s"},
              {"goal without event",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"g","type":"goal","config":{}}]})",
               "blocks.g.config.event"},
              {"edge into a goal",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"g","type":"goal","config":{"event":"paid"}}],"edges":[{"source":"t","target":"g"}]})",
               "blocks.g"},
              {"edge out of a goal",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"g","type":"goal","config":{"event":"paid"}},{"id":"x","type":"exit"}],"edges":[{"source":"t","target":"x"},{"source":"g","target":"x"}]})",
               "blocks.g"},
              {"two goals",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"g","type":"goal","config":{"event":"paid"}},{"id":"h","type":"goal","config":{"event":"won"}}]})",
               "blocks.h"},
              {"wait until neither event nor time",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"later"}}],"edges":[{"source":"t","target":"u"}]})",
               "blocks.u.config.until"},
              {"wait until an event without a timeout",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"event","event":"paid"}}],"edges":[{"source":"t","target":"u"}]})",
               "blocks.u.config.timeout"},
              {"wait until an event without the event", R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"event","timeout":"1d"}}],"edges":[{"source":"t","target":"u"}]})",
               "blocks.u.config.event"},
              {"wait until a time that is no time",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"time","at":"24:00"}}],"edges":[{"source":"t","target":"u"}]})",
               "blocks.u.config.at"},
              {"wait until a time in an unknown zone",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"time","at":"09:00","time_zone":"Mars/Olympus"}}],"edges":[{"source":"t","target":"u"}]})",
               "blocks.u.config.time_zone"},
              {"wait until an event with an edge on no output",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"event","event":"paid","timeout":"1d"}},{"id":"x","type":"exit"}],"edges":[{"source":"t","target":"u"},{"source":"u","target":"x"}]})",
               "blocks.u"},
              {"wait until a time with a branch",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"u","type":"wait_until","config":{"until":"time","at":"09:00"}},{"id":"x","type":"exit"}],"edges":[{"source":"t","target":"u"},{"source":"u","target":"x","branch":"happened"}]})",
               "blocks.u"},
              {"trigger on an event about no contact",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"webhook.disabled"}}]})",
               "blocks.t.config.event"},
              {"repeated id",
               R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},{"id":"t","type":"exit"}]})",
               "blocks.t"},
          };
  for (const Case& c : cases) {
    auto result = check(c.json);
    ASSERT_FALSE(result) << c.name;
    EXPECT_EQ(result.error().field, c.field) << c.name << ": " << result.error().message;
  }
}

json::object context() {
  return json::parse(R"({"event": {"name": "email.click"},
    "event_details": {"campaign_name": "Sample", "clicks": 3, "tags": ["vip", "br"]},
    "contact": {"country": "BR", "age": "31", "gone": null}})")
      .as_object();
}

TEST(FiltersTest, OpsCompareLikeAMarketerExpects) {
  const auto ctx = context();
  auto holds = [&](const char* field, const char* op, json::value value) {
    ObjectFields fields(ctx);
    return filter_holds({field, op, std::move(value)}, fields);
  };
  EXPECT_TRUE(holds("event_details.campaign_name", "eq", "Sample"));
  EXPECT_FALSE(holds("event_details.campaign_name", "eq", "Other"));
  EXPECT_TRUE(holds("event_details.campaign_name", "neq", "Other"));
  EXPECT_TRUE(holds("event_details.clicks", "eq", "3"));
  EXPECT_TRUE(holds("event_details.campaign_name", "contains", "amp"));
  EXPECT_TRUE(holds("event_details.tags", "contains", "vip"));
  EXPECT_FALSE(holds("event_details.tags", "contains", "us"));
  EXPECT_TRUE(holds("contact.age", "gt", 30));
  EXPECT_FALSE(holds("contact.age", "lt", 30));
  EXPECT_TRUE(holds("contact.country", "exists", nullptr));
  EXPECT_FALSE(holds("contact.gone", "exists", nullptr));
  EXPECT_FALSE(holds("contact.missing", "eq", "x"));
  EXPECT_TRUE(holds("contact.missing", "neq", "x"));
}

// The index must find exactly what testing every trigger finds, including where eq has its own
// rules: numbers against numeric text, booleans against "true", NaN, -0, values that are not
// indexed at all, and triggers with no eq filter.
TEST(TriggerIndexTest, FindsExactlyWhatTestingEveryTriggerFinds) {
  const std::vector<json::value> values = {"Sample",
                                           "sample",
                                           "3",
                                           3,
                                           3.0,
                                           "3.0",
                                           "007",
                                           7,
                                           "-0",
                                           0,
                                           -0.0,
                                           "true",
                                           true,
                                           false,
                                           "false",
                                           "nan",
                                           "inf",
                                           "1e400",
                                           " 3",
                                           "",
                                           nullptr,
                                           json::parse(R"({"a":1})"),
                                           json::parse("[1,2]"),
                                           18446744073709551615ULL};
  std::vector<Block> blocks;
  for (const json::value& v : values) {
    Block only;
    only.filters = {{"event_details.k", "eq", v}};
    blocks.push_back(only);
    Block two;  // the eq is not first, and another field must also hold
    two.filters = {{"event_details.m", "exists", nullptr}, {"event_details.k", "eq", v}};
    blocks.push_back(two);
    Block other_field;
    other_field.filters = {{"contact.country", "eq", v}, {"event_details.k", "neq", "Sample"}};
    blocks.push_back(other_field);
  }
  blocks.push_back(Block{});  // no filter: every event
  Block no_eq;
  no_eq.filters = {{"event_details.k", "contains", "amp"}};
  blocks.push_back(no_eq);
  std::vector<const Block*> triggers;
  for (const Block& b : blocks) triggers.push_back(&b);
  const TriggerIndex index(triggers);

  for (const json::value& k : values) {
    for (const json::value& country : {json::value("BR"), json::value(3), k}) {
      json::object context{{"event_details", json::object{{"k", k}, {"m", 1}}},
                           {"contact", json::object{{"country", country}}}};
      ObjectFields fields(context);
      std::vector<size_t> expected;
      for (size_t i = 0; i < triggers.size(); ++i) {
        if (all_hold(triggers[i]->filters, context)) expected.push_back(i);
      }
      std::vector<size_t> found;
      index.matching(fields, found);
      EXPECT_EQ(found, expected) << "k = " << json::serialize(k)
                                 << ", country = " << json::serialize(country);
    }
  }
}

// Records what the runner asks for; the contact is in list L when `member`.
class FakeEffects : public StepEffects {
 public:
  explicit FakeEffects(bool member, const std::string& contact_id = "c-1") : member_(member) {
    context_["contact"].as_object()["id"] = contact_id;
  }
  Result<bool> in_list(const std::string& list_id) override { return member_ && list_id == "L"; }
  Fields& fields() override { return fields_; }
  Result<std::string> call_webhook(const Block& block) override {
    log.push_back("call " + block.webhook_id);
    return block.webhook_id == "gone" ? std::string() : "delivery-of-" + block.id;
  }
  Result<void> add_to_list(const std::string& id) override {
    log.push_back("add " + id);
    return {};
  }
  Result<void> remove_from_list(const std::string& id) override {
    log.push_back("remove " + id);
    return {};
  }
  Result<void> update_contact(const json::object& properties) override {
    log.push_back(properties.empty() ? "update" : "update " + json::serialize(properties));
    return {};
  }
  void answer_not_mapped(const Block& block, const std::vector<std::string>& errors) override {
    std::string text = "unmapped " + block.id + ":";
    for (const std::string& error : errors) text += " [" + error + "]";
    log.push_back(text);
  }
  void entered(const std::string& id) override { log.push_back("enter " + id); }
  void set_contact_field(const std::string& key, json::value value) {
    context_["contact"].as_object()[key] = std::move(value);
  }
  void left(const std::string& id, std::string_view branch) override {
    log.push_back("leave " + id + (branch.empty() ? "" : " " + std::string(branch)));
  }

  std::vector<std::string> log;

 private:
  bool member_;
  json::object context_ = hookline::journeys::context();
  ObjectFields fields_{context_};
};

TEST(RunnerTest, AMemberOfTheListReachesTheWebhook) {
  auto journey = parse(kSample);
  FakeEffects effects(/*member=*/true);
  auto stop = run_from(*journey, *journey->trigger(), effects, 1000);
  ASSERT_TRUE(stop);
  EXPECT_TRUE(stop->finished());
  EXPECT_EQ(effects.log, (std::vector<std::string>{"enter t", "leave t", "enter c", "leave c yes",
                                                   "enter w", "call W", "leave w"}));
}

TEST(RunnerTest, ANonMemberWaitsAtTheDelayAndThenLeaves) {
  auto journey = parse(kSample);
  FakeEffects effects(/*member=*/false);
  auto stop = run_from(*journey, *journey->trigger(), effects, 1000);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->block_id, "d");
  EXPECT_EQ(stop->wake_at, 1000 + 2 * 86'400'000);
  EXPECT_EQ(effects.log.back(), "enter d");

  auto resumed = resume_after(*journey, "d", effects, 5000);
  ASSERT_TRUE(resumed);
  EXPECT_TRUE(resumed->finished());
  EXPECT_EQ(effects.log.back(), "leave d");
}

TEST(RunnerTest, AFieldConditionChoosesTheBranch) {
  auto journey = parse(R"({"name":"j","blocks":[
    {"id":"t","type":"trigger","config":{"event":"email.click"}},
    {"id":"c","type":"condition","config":{"field":"contact.country","op":"eq","value":"BR"}},
    {"id":"a","type":"add_to_list","config":{"list_id":"L"}},
    {"id":"u","type":"update_contact","config":{"properties":{"vip":true}}},
    {"id":"x","type":"exit"}],
   "edges":[{"source":"t","target":"c"},{"source":"c","target":"a","branch":"yes"},
            {"source":"c","target":"x","branch":"no"},{"source":"a","target":"u"}]})");
  ASSERT_TRUE(journey);
  FakeEffects effects(false);
  auto stop = run_from(*journey, *journey->trigger(), effects, 0);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->block_id, "u");
  EXPECT_NE(std::find(effects.log.begin(), effects.log.end(), "leave c yes"), effects.log.end());
  EXPECT_NE(std::find(effects.log.begin(), effects.log.end(), "add L"), effects.log.end());
  EXPECT_EQ(effects.log[effects.log.size() - 2], R"(update {"vip":true})");
}

TEST(RunnerTest, AWaitAtABlockThatWasRemovedEndsTheRun) {
  auto journey = parse(kSample);
  FakeEffects effects(false);
  auto stop = resume_after(*journey, "removed", effects, 0);
  ASSERT_TRUE(stop);
  EXPECT_TRUE(stop->finished());
  EXPECT_TRUE(effects.log.empty());
}

// A 70/30 split: each contact always takes the same branch, the shares come out near 70/30, and
// a second split divides the same contacts independently of the first.
TEST(RunnerTest, ASplitSendsEachContactTheSameWayInTheGivenShares) {
  auto journey = parse(R"({"name":"j","blocks":[
    {"id":"t","type":"trigger","config":{"event":"email.click"}},
    {"id":"s","type":"split","config":{"branches":[{"name":"Offer","percent":70},{"name":"Control","percent":30}]}},
    {"id":"s2","type":"split","config":{"branches":[{"name":"A","percent":50},{"name":"B","percent":50}]}},
    {"id":"x","type":"exit"}],
   "edges":[{"source":"t","target":"s"},{"source":"s","target":"s2","branch":"Offer"},
            {"source":"s2","target":"x","branch":"A"}]})");
  ASSERT_TRUE(journey) << journey.error().message;
  int offer = 0;
  int offer_then_a = 0;
  constexpr int kContacts = 2000;
  for (int i = 0; i < kContacts; ++i) {
    const std::string contact = "contact-" + std::to_string(i);
    FakeEffects effects(false, contact);
    auto stop = run_from(*journey, *journey->trigger(), effects, 0);
    ASSERT_TRUE(stop);
    const bool took_offer =
        std::find(effects.log.begin(), effects.log.end(), "leave s 0") != effects.log.end();
    if (!took_offer) {
      // Control has no edge: the run ends at the split.
      EXPECT_EQ(effects.log.back(), "leave s 1");
      EXPECT_EQ(stop->block_id, "s");
    }
    offer += took_offer ? 1 : 0;
    if (took_offer && stop->block_id == "x") ++offer_then_a;
    FakeEffects again(false, contact);
    ASSERT_TRUE(run_from(*journey, *journey->trigger(), again, 0));
    EXPECT_EQ(again.log, effects.log) << contact << " took another way the second time";
  }
  EXPECT_NEAR(offer, kContacts * 0.7, kContacts * 0.04);
  EXPECT_NEAR(offer_then_a, offer * 0.5, offer * 0.06);
}

// Trial started -> wait until order.paid (amount over 100) or 2 days -> thank (happened) or
// nudge (timed out).
constexpr const char* kWaitForPayment = R"({"name":"j","blocks":[
    {"id":"t","type":"trigger","config":{"event":"trial.started"}},
    {"id":"u","type":"wait_until","config":{"until":"event","event":"order.paid","timeout":"2d",
      "filters":[{"field":"event_details.amount","op":"gt","value":100}]}},
    {"id":"thank","type":"webhook","config":{"webhook_id":"W"}},
    {"id":"nudge","type":"add_to_list","config":{"list_id":"L"}}],
   "edges":[{"source":"t","target":"u"},{"source":"u","target":"thank","branch":"happened"},
            {"source":"u","target":"nudge","branch":"timed_out"}]})";

TEST(JourneyJsonTest, AWaitUntilReadsItsEventTimeoutAndTimeOfDay) {
  auto journey = parse(kWaitForPayment);
  ASSERT_TRUE(journey) << journey.error().message;
  ASSERT_TRUE(validate_journey(*journey, everything_exists()));
  const Block* wait = journey->block("u");
  EXPECT_TRUE(wait->waits_for_event());
  EXPECT_EQ(wait->event, "order.paid");
  EXPECT_EQ(wait->filters.size(), 1u);
  EXPECT_EQ(wait->duration_ms, 2 * 86'400'000);
  EXPECT_EQ(journey->wait_events(), " order.paid ");

  auto quiet = parse(R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},
    {"id":"u","type":"wait_until","config":{"until":"time","at":"09:30","time_zone":"America/Sao_Paulo"}},
    {"id":"v","type":"wait_until","config":{"until":"time","at":"18:05"}}],
   "edges":[{"source":"t","target":"u"},{"source":"u","target":"v"}]})");
  ASSERT_TRUE(quiet) << quiet.error().message;
  ASSERT_TRUE(validate_journey(*quiet, everything_exists()));
  EXPECT_FALSE(quiet->block("u")->waits_for_event());
  EXPECT_EQ(quiet->block("u")->at_minute, 9 * 60 + 30);
  EXPECT_EQ(quiet->block("u")->time_zone, "America/Sao_Paulo");
  EXPECT_EQ(quiet->block("v")->time_zone, "UTC");  // the default
  EXPECT_EQ(quiet->wait_events(), "");
}

TEST(JourneyJsonTest, WaitEventsNamesEachEventOnce) {
  auto journey = parse(R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},
    {"id":"a","type":"wait_until","config":{"until":"event","event":"paid","timeout":"1d"}},
    {"id":"b","type":"wait_until","config":{"until":"event","event":"email.open","timeout":"1d"}},
    {"id":"c","type":"wait_until","config":{"until":"event","event":"paid","timeout":"2d"}}],
   "edges":[{"source":"t","target":"a"},{"source":"a","target":"b","branch":"timed_out"},
            {"source":"b","target":"c","branch":"happened"}]})");
  ASSERT_TRUE(journey) << journey.error().message;
  EXPECT_EQ(journey->wait_events(), " paid email.open ");
}

TEST(RunnerTest, AWaitUntilHoldsTheContactUntilItsTimeout) {
  auto journey = parse(kWaitForPayment);
  FakeEffects effects(false);
  auto stop = run_from(*journey, *journey->trigger(), effects, 1000);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->block_id, "u");
  EXPECT_EQ(stop->wake_at, 1000 + 2 * 86'400'000);
  EXPECT_EQ(effects.log.back(), "enter u");
}

TEST(RunnerTest, TheEventInTimeLeavesByHappened) {
  auto journey = parse(kWaitForPayment);
  FakeEffects effects(false);
  auto stop = resume_on_event(*journey, "u", effects, 5000);
  ASSERT_TRUE(stop);
  EXPECT_TRUE(stop->finished());
  EXPECT_EQ(effects.log,
            (std::vector<std::string>{"leave u happened", "enter thank", "call W", "leave thank"}));
}

TEST(RunnerTest, TheTimeoutLeavesByTimedOut) {
  auto journey = parse(kWaitForPayment);
  FakeEffects effects(false);
  auto stop = resume_after(*journey, "u", effects, 5000);
  ASSERT_TRUE(stop);
  EXPECT_TRUE(stop->finished());
  EXPECT_EQ(effects.log,
            (std::vector<std::string>{"leave u timed_out", "enter nudge", "add L", "leave nudge"}));
}

// A lead is scored by a CRM; the journey waits for the answer, copies the score onto the contact
// and tells sales about the good ones. A failed call nudges nobody (its output is not wired).
constexpr const char* kScoreLead = R"({"name":"Score", "blocks":[
  {"id":"t","type":"trigger","config":{"event":"lead.created"}},
  {"id":"w","type":"webhook","config":{"webhook_id":"W","wait_for_response":true,
   "response_mapping":[{"from":"/lead/score","to":"lead_score","type":"number"},
                       {"from":"$.lead.tier","to":"lead_tier"}]}},
  {"id":"c","type":"condition","config":{"field":"contact.lead_score","op":"gt","value":50}},
  {"id":"s","type":"webhook","config":{"webhook_id":"W"}}],
 "edges":[{"source":"t","target":"w"},{"source":"w","target":"c","branch":"succeeded"},
          {"source":"c","target":"s","branch":"yes"}]})";

TEST(JourneyJsonTest, AWebhookBlockWaitingForTheAnswerReadsItsMapping) {
  auto journey = parse(kScoreLead);
  ASSERT_TRUE(journey) << journey.error().message;
  ASSERT_TRUE(validate_journey(*journey, everything_exists()));
  const Block* call = journey->block("w");
  EXPECT_TRUE(call->waits_for_answer());
  ASSERT_EQ(call->response_mapping.size(), 2u);
  EXPECT_EQ(call->response_mapping[0].pointer, "/lead/score");
  EXPECT_EQ(call->response_mapping[0].type, "number");
  EXPECT_EQ(call->response_mapping[1].pointer, "/lead/tier");
  EXPECT_EQ(call->response_mapping[1].type, "any");
  EXPECT_FALSE(journey->block("s")->waits_for_answer());
}

TEST(JourneyJsonTest, ABadMappingOrBranchIsRefusedNamingTheField) {
  const auto refused = [](const std::string& config, const std::string& edges) {
    auto result =
        check(R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},
      {"id":"w","type":"webhook","config":)" +
              config + R"(},{"id":"x","type":"exit"}],"edges":[{"source":"t","target":"w"})" +
              edges + "]}");
    return result ? std::string("accepted") : result.error().field;
  };
  const std::string to_exit = R"(,{"source":"w","target":"x","branch":"succeeded"})";
  EXPECT_EQ(refused(R"({"webhook_id":"W","wait_for_response":true})", to_exit), "accepted");
  EXPECT_EQ(refused(R"({"webhook_id":"W","wait_for_response":"yes"})", to_exit),
            "blocks.w.config.wait_for_response");
  EXPECT_EQ(refused(R"({"webhook_id":"W","response_mapping":[{"from":"/a","to":"a"}]})", ""),
            "blocks.w.config.response_mapping");
  EXPECT_EQ(refused(R"({"webhook_id":"W","wait_for_response":true,
                        "response_mapping":[{"from":"a.b","to":"a"}]})",
                    to_exit),
            "blocks.w.config.response_mapping[0].from");
  EXPECT_EQ(refused(R"({"webhook_id":"W","wait_for_response":true,
                        "response_mapping":[{"from":"/a","to":"a"},{"from":"/b","to":"email"}]})",
                    to_exit),
            "blocks.w.config.response_mapping[1].to");
  EXPECT_EQ(refused(R"({"webhook_id":"W","wait_for_response":true,
                        "response_mapping":[{"from":"/a","to":"a"},{"from":"/b","to":"a"}]})",
                    to_exit),
            "blocks.w.config.response_mapping[1].to");
  EXPECT_EQ(refused(R"({"webhook_id":"W","wait_for_response":true,
                        "response_mapping":[{"from":"/a","to":"a","type":"date"}]})",
                    to_exit),
            "blocks.w.config.response_mapping[0].type");
  // Its edges are succeeded and failed; a block that does not wait has one plain edge.
  EXPECT_EQ(
      refused(R"({"webhook_id":"W","wait_for_response":true})", R"(,{"source":"w","target":"x"})"),
      "blocks.w");
  EXPECT_EQ(refused(R"({"webhook_id":"W"})", to_exit), "blocks.w");
}

TEST(RunnerTest, AWebhookBlockWaitingForTheAnswerParksTheContactOnItsDelivery) {
  auto journey = parse(kScoreLead);
  FakeEffects effects(false);
  auto stop = run_from(*journey, *journey->trigger(), effects, 1000);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->block_id, "w");
  EXPECT_EQ(stop->waiting_delivery, "delivery-of-w");
  EXPECT_EQ(stop->wake_at, 1000 + kAnswerRecheckMs);  // the fallback; the outcome wakes it sooner
  EXPECT_EQ(effects.log.back(), "call W");
}

TEST(RunnerTest, TheAnswerIsMappedOntoTheContactBeforeItGoesOnBySucceeded) {
  auto journey = parse(kScoreLead);
  FakeEffects effects(false);
  effects.set_contact_field("lead_score", 87);  // as the update has made it by now
  auto stop = resume_on_answer(
      *journey, "w", Answer{true, R"({"lead":{"score":87,"tier":"gold"}})"}, effects, 5000);
  ASSERT_TRUE(stop);
  EXPECT_TRUE(stop->finished());
  EXPECT_EQ(effects.log, (std::vector<std::string>{R"(update {"lead_score":87,"lead_tier":"gold"})",
                                                   "leave w succeeded", "enter c", "leave c yes",
                                                   "enter s", "call W", "leave s"}));
}

TEST(RunnerTest, WhatDoesNotMapIsToldAndTheRestStillApplies) {
  auto journey = parse(kScoreLead);
  FakeEffects effects(false);
  auto stop =
      resume_on_answer(*journey, "w", Answer{true, R"({"lead":{"score":"high"}})"}, effects, 5000);
  ASSERT_TRUE(stop);
  EXPECT_EQ(effects.log[0],
            "unmapped w: [/lead/score: a string, not a number] [$.lead.tier: not "
            "in the answer]");
  EXPECT_EQ(effects.log[1], "leave w succeeded_unmapped");

  FakeEffects not_json(false);
  ASSERT_TRUE(resume_on_answer(*journey, "w", Answer{true, "OK"}, not_json, 5000));
  EXPECT_EQ(not_json.log[0], "unmapped w: [the answer is not a JSON object or array]");
}

TEST(RunnerTest, AFailedCallGoesOnByFailedAndAWebhookGoneFailsAtOnce) {
  auto journey = parse(kScoreLead);
  FakeEffects effects(false);
  auto stop =
      resume_on_answer(*journey, "w", Answer{false, R"({"lead":{"score":99}})"}, effects, 5000);
  ASSERT_TRUE(stop);
  EXPECT_TRUE(stop->finished());  // its failed output is not wired
  EXPECT_EQ(effects.log, (std::vector<std::string>{"leave w failed"}));

  auto gone = parse(R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},
    {"id":"w","type":"webhook","config":{"webhook_id":"gone","wait_for_response":true}},
    {"id":"x","type":"exit"}],
   "edges":[{"source":"t","target":"w"},{"source":"w","target":"x","branch":"failed"}]})");
  ASSERT_TRUE(gone) << gone.error().message;
  FakeEffects no_call(false);
  auto ended = run_from(*gone, *gone->trigger(), no_call, 1000);
  ASSERT_TRUE(ended);
  EXPECT_TRUE(ended->finished());
  EXPECT_EQ(ended->block_id, "x");
  EXPECT_EQ(no_call.log, (std::vector<std::string>{"enter t", "leave t", "enter w", "call gone",
                                                   "leave w failed", "enter x", "leave x"}));
}

TEST(RunnerTest, AContactWaitingAtABlockEditedIntoOneWaitingForTheAnswerGoesOnByFailed) {
  // It waited at "w" for a delay's end; "w" now waits for an answer it never made a call for.
  auto journey = parse(R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},
    {"id":"w","type":"webhook","config":{"webhook_id":"W","wait_for_response":true}},
    {"id":"x","type":"exit"},{"id":"y","type":"exit"}],
   "edges":[{"source":"t","target":"w"},{"source":"w","target":"x","branch":"succeeded"},
            {"source":"w","target":"y","branch":"failed"}]})");
  ASSERT_TRUE(journey) << journey.error().message;
  FakeEffects effects(false);
  auto stop = resume_after(*journey, "w", effects, 5000);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->block_id, "y");
  EXPECT_EQ(effects.log, (std::vector<std::string>{"leave w failed", "enter y", "leave y"}));
}

// 2026-12-06 (a Sunday) 21:00 UTC is 18:00 in Sao Paulo (UTC-3, no daylight saving since 2019).
constexpr int64_t kSundayEvening = 1'796'590'800'000;

TEST(RunnerTest, AWaitUntilATimeOfDayWakesAtTheNextOneInTheContactsZoneOrTheBlocks) {
  auto journey = parse(R"({"name":"j","blocks":[{"id":"t","type":"trigger","config":{"event":"e"}},
    {"id":"u","type":"wait_until","config":{"until":"time","at":"09:00","time_zone":"America/Sao_Paulo"}},
    {"id":"w","type":"webhook","config":{"webhook_id":"W"}}],
   "edges":[{"source":"t","target":"u"},{"source":"u","target":"w"}]})");
  ASSERT_TRUE(journey) << journey.error().message;
  FakeEffects in_block_zone(false);
  auto stop = run_from(*journey, *journey->trigger(), in_block_zone, kSundayEvening);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->block_id, "u");
  EXPECT_EQ(stop->wake_at, kSundayEvening + 15 * 3'600'000);  // 09:00 next day, -03:00

  FakeEffects in_tokyo(false);
  in_tokyo.set_contact_field("time_zone", "Asia/Tokyo");  // 06:00 on Monday there
  stop = run_from(*journey, *journey->trigger(), in_tokyo, kSundayEvening);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->wake_at, kSundayEvening + 3 * 3'600'000);

  FakeEffects unknown_zone(false);
  unknown_zone.set_contact_field("time_zone", "Nowhere/Atlantis");  // the block's zone instead
  stop = run_from(*journey, *journey->trigger(), unknown_zone, kSundayEvening);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->wake_at, kSundayEvening + 15 * 3'600'000);

  auto resumed = resume_after(*journey, "u", in_tokyo, kSundayEvening + 3 * 3'600'000);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(in_tokyo.log.back(), "leave w");
  EXPECT_NE(std::find(in_tokyo.log.begin(), in_tokyo.log.end(), "leave u"), in_tokyo.log.end());
}

}  // namespace
}  // namespace hookline::journeys
