// GET /v1/contacts/{id}/activity: a contact's timeline, its events and the deliveries they caused,
// newest first, a page at a time (core/contact_timeline.h says how pages are found).
#include <algorithm>

#include "api/handlers/routes.h"
#include "api/json/delivery_json.h"
#include "api/responses.h"
#include "core/contact_timeline.h"

namespace hookline::api {
namespace json = boost::json;
namespace {

// Rows of each log read per request: a few milliseconds of reading. A contact whose activity is
// sparser than that in a busy log takes several pages, which the console fetches on its own.
constexpr int kRowsPerRead = 5000;

struct Item {
  int64_t at_ms;
  int order;  // at the same millisecond a delivery comes after the event it was made for
  json::object json;
};

json::object event_item(const store::StoredEvent& stored) {
  return {{"type", "event"},
          {"at", stored.received_at},
          {"event", json::object{{"id", stored.event.id},
                                 {"event", stored.event.name},
                                 {"event_time", stored.event.time_ms},
                                 {"received_at", stored.received_at},
                                 {"event_details", stored.event.details}}}};
}

// The first `kept` rows of `scan` hold this many of the contact's.
size_t theirs_in(const LogScan& scan, size_t kept) {
  return static_cast<size_t>(std::count_if(scan.rows.begin(), scan.rows.begin() + kept,
                                           [](const ScannedRow& row) { return row.theirs; }));
}

}  // namespace

void add_contact_activity_routes(Router& router, Services& services) {
  router.add("GET", "/v1/contacts/{id}/activity", [&services](ApiRequest& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto from = parse_timeline_cursor(page->cursor);
    if (!from) return error_response(from.error());
    const std::string contact_id = request.param("id");
    // A deleted contact has no timeline, even while its history is still being forgotten.
    if (auto contact = services.store.get_contact(request.workspace_id, contact_id); !contact) {
      return error_response(contact.error());
    }
    auto read = services.store.read_contact_activity(request.workspace_id, contact_id, *from,
                                                     {.rows = kRowsPerRead, .theirs = page->limit});
    if (!read) return error_response(read.error());
    const TimelineCut cut = cut_timeline(read->event_rows, read->delivery_rows, *from);

    std::vector<Item> items;
    const size_t events = theirs_in(read->event_rows, cut.events_kept);
    for (size_t i = 0; i < events; ++i) {
      items.push_back({read->events[i].received_at, 0, event_item(read->events[i])});
    }
    const size_t deliveries = theirs_in(read->delivery_rows, cut.deliveries_kept);
    for (size_t i = 0; i < deliveries; ++i) {
      const Delivery& delivery = read->deliveries[i];
      items.push_back({delivery.created_at,
                       1,
                       {{"type", "delivery"},
                        {"at", delivery.created_at},
                        {"delivery", delivery_to_json(delivery)}}});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.at_ms != b.at_ms ? a.at_ms > b.at_ms : a.order > b.order;
    });
    json::array data;
    data.reserve(items.size());
    for (Item& item : items) data.push_back(std::move(item.json));
    return json_response(
        200,
        json::object{{"data", std::move(data)},
                     {"next_cursor", cut.next.finished() ? json::value(nullptr)
                                                         : json::value(timeline_cursor(cut.next))},
                     {"complete_since", cut.complete_since_ms ? json::value(*cut.complete_since_ms)
                                                              : json::value(nullptr)}});
  });
}

}  // namespace hookline::api
