#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/secret_box.h"
#include "store/batch_writer.h"
#include "store/by_event_cache.h"
#include "store/delivery_tally.h"
#include "store/event_catalog.h"
#include "store/path_counts.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_rows.h"
#include "store/write_txn.h"

namespace hookline::store::postgres {

// WriteTxn on the writer's connection, inside the batch's transaction.
class PgWriteTxn final : public WriteTxn {
 public:
  explicit PgWriteTxn(const SecretBox& secrets) : secrets_(secrets) {}

  Result<Result<void>> in_savepoint(const std::function<Result<void>()>& part) override;
  Result<ContactUpsert> upsert_contact(const Contact& contact) override;
  Result<std::optional<Contact>> find_contact(const std::string& workspace_id,
                                              const std::string& id) override;
  Result<std::optional<Contact>> find_contact_by_email(const std::string& workspace_id,
                                                       const std::string& email) override;
  Result<void> update_contact(const Contact& contact) override;
  Result<void> delete_contact(const std::string& workspace_id, const std::string& id) override;
  Result<std::vector<std::string>> add_list_members(const std::string& workspace_id,
                                                    const std::string& list_id,
                                                    const std::vector<std::string>& contact_ids,
                                                    int64_t now_ms) override;
  Result<bool> remove_list_member(const std::string& workspace_id, const std::string& list_id,
                                  const std::string& contact_id) override;

  Result<void> prefetch_events(const std::string& workspace_id,
                               const std::vector<std::string>& event_ids,
                               const std::vector<std::string>& contact_emails) override;
  Result<bool> event_exists(const std::string& workspace_id, const std::string& id) override;
  Result<bool> insert_event(const std::string& workspace_id, const Event& event,
                            const std::string& contact_id, int64_t received_at) override;
  Result<std::shared_ptr<const std::vector<Webhook>>> subscribed_webhooks(
      const std::string& workspace_id, const std::string& event_name) override;

  Result<std::optional<Webhook>> find_webhook(const std::string& workspace_id,
                                              const std::string& id) override;
  Result<std::optional<ContactList>> find_list(const std::string& workspace_id,
                                               const std::string& id) override;
  Result<bool> is_list_member(const std::string& workspace_id, const std::string& list_id,
                              const std::string& contact_id) override;
  Result<std::shared_ptr<const std::vector<JourneyRow>>> active_journeys_for_event(
      const std::string& workspace_id, const std::string& event_name) override;
  Result<std::shared_ptr<const std::vector<JourneyRow>>> active_journeys_with_goal(
      const std::string& workspace_id, const std::string& event_name) override;
  Result<std::shared_ptr<const std::vector<JourneyRow>>> active_journeys_waiting_for(
      const std::string& workspace_id, const std::string& event_name) override;
  Result<std::optional<JourneyRow>> find_journey_version(const std::string& workspace_id,
                                                         const std::string& journey_id,
                                                         int version) override;
  Result<bool> has_enrolment(const std::string& journey_id, const std::string& contact_id) override;
  Result<void> insert_enrolment(const Enrolment& enrolment) override;
  Result<void> update_enrolment(const Enrolment& enrolment) override;
  Result<std::vector<Enrolment>> due_enrolments(int64_t now_ms, int limit) override;
  Result<std::vector<Enrolment>> waiting_enrolments_of(const std::string& contact_id) override;
  void count_run(std::string_view journey_id, int version, std::string_view path) override;

  Result<int64_t> insert_delivery(const Delivery& delivery) override;
  Result<bool> order_key_busy(const std::string& webhook_id, const std::string& order_key) override;
  Result<void> release_next_in_order(const std::vector<OrderChain>& chains,
                                     int64_t now_ms) override;
  Result<int64_t> release_headless_chains(int64_t now_ms, int limit) override;
  Result<std::vector<Delivery>> claim_due_deliveries(const std::string& owner, int64_t now_ms,
                                                     int64_t lease_ms, int limit) override;
  Result<void> record_attempt(const AttemptRecord& record, int64_t now_ms) override;
  Result<std::vector<std::optional<Error>>> record_attempts(
      const std::vector<AttemptRecord>& records, int64_t now_ms) override;
  void count_attempt(const AttemptRecord& record) override;
  Result<void> wake_enrolments_awaiting(const std::vector<std::string>& delivery_ids,
                                        int64_t now_ms) override;
  Result<void> keep_awaited_answers(const std::vector<const AttemptRecord*>& records) override;
  Result<std::optional<DeliveryAnswer>> delivery_answer(const std::string& workspace_id,
                                                        const std::string& delivery_id) override;
  Result<void> note_last_attempt(const std::string& workspace_id, const std::string& delivery_id,
                                 const std::string& note) override;
  Result<Delivery> requeue_delivery(const std::string& workspace_id, const std::string& id,
                                    int64_t now_ms) override;
  Result<void> release_deliveries(const std::string& owner, const std::vector<LeaseRef>& leases,
                                  int64_t due_at_ms) override;
  Result<int64_t> requeue_failed(const std::string& workspace_id, const std::string& webhook_id,
                                 int64_t since_ms, int64_t until_ms, int64_t now_ms) override;
  Result<int64_t> release_webhook_deliveries(const std::string& webhook_id,
                                             int64_t now_ms) override;
  Result<int64_t> hasten_deferred(const std::string& webhook_id, int64_t now_ms, int64_t until_ms,
                                  int limit) override;
  Result<int64_t> release_leases_of(const std::string& owner, int64_t now_ms) override;
  Result<int64_t> share_breaker(const BreakerNews& news) override;
  Result<PurgeStep> purge_deliveries(int64_t after, int64_t cutoff_ms, int limit) override;
  Result<PurgeStep> purge_events(int64_t cutoff_ms, int limit) override;
  Result<int64_t> purge_delivery_stats(int64_t before_minute) override;
  Result<void> request_forget(const std::string& workspace_id, const std::string& contact_id,
                              int64_t now_ms) override;
  Result<std::optional<ForgetRequest>> next_forget_request() override;
  Result<PurgeStep> forget_step(const ForgetRequest& request, int limit) override;

  // The connection the next batch runs on (a new one after the old one broke).
  void use(PgConnection& connection) { connection_ = &connection; }

  // Called at the start of each batch: the configuration caches below are dropped when the
  // configuration changed since the last batch, through any node (config_version).
  Result<void> begin_batch();
  // A job ended: its journey runs, counted tries and catalog news join the batch's if it
  // succeeded, else they are dropped.
  void end_job(bool succeeded);
  // Writes the batch's journey runs, once per distinct path, its delivery statistics, once per
  // webhook and minute, and its catalog news; called just before COMMIT.
  Result<void> write_batch_counts();
  // The batch committed: its catalog news is known stored from now on.
  void batch_committed() { catalog_news_.committed(); }

 private:
  Result<void> write_path_counts();
  Result<void> write_delivery_stats();
  Result<void> write_catalog_news();
  PgConnection& db() { return *connection_; }
  // Tells every node, when the batch commits, that deliveries are due now (PgClusterWatch's
  // hookline_due). Travels with the next statement; the server sends it once per transaction.
  void tell_work_due();
  Result<std::optional<Contact>> find_contact_where(std::string_view column,
                                                    const std::string& workspace_id,
                                                    const std::string& value);

  PgConnection* connection_ = nullptr;
  const SecretBox& secrets_;

  // What prefetch_events (or event_exists, for one event) read for the current job (cleared at
  // its end): the event ids looked up in `workspace_id`, those stored, and the contacts by email
  // (nullopt: none has it) with their row versions. A contact is forgotten once the job writes
  // it, or finds it changed. An event looked up and not stored is inserted without waiting for
  // an answer (insert_event).
  struct Prefetched {
    std::string workspace_id;
    std::unordered_set<std::string> event_ids;
    std::unordered_set<std::string> stored_events;
    std::unordered_map<std::string, std::optional<StoredContact>> contacts;
    size_t events_to_store = 0;  // looked up, not stored, not yet inserted: deliveries to come
  };
  Prefetched prefetched_;
  // Delivery seqs taken from the table's sequence ahead of their inserts, oldest first: with its
  // seq known, a delivery's insert needs no answer, and a job's inserts travel together in one
  // round trip (PgConnection::defer) instead of one each. Those a job did not use are dropped at
  // its end, so seqs stay close to the order deliveries were made in.
  std::vector<int64_t> delivery_seqs_;
  size_t next_delivery_seq_ = 0;
  Result<int64_t> take_delivery_seq();

  // The event this job stored last, as stored: the deliveries made from it next keep their body
  // without its details (store/body_splice.h). Cleared at the end of each job.
  struct StoredEvent {
    bool stored = false;
    std::string workspace_id;
    std::string id;
    int64_t seq = 0;      // 0 while its insert waits in the connection (PgConnection::defer)
    std::string details;  // the JSON text in its row
  };
  StoredEvent last_event_;
  PathCounts path_counts_;
  DeliveryTally delivery_tally_;
  CatalogNews catalog_news_;

  // Which webhooks and journeys listen to an event, by workspace and event name, as of
  // config_version_ (the config_version row, which every change to webhooks and journeys bumps).
  int64_t config_version_ = -1;
  ListenerCaches caches_;
  // The rows `select` reads (with the workspace as $1 and the event name as $2), cached in
  // `cache` until a journey changes.
  Result<std::shared_ptr<const std::vector<JourneyRow>>> journeys_listening(
      const std::string& select, ByEventCache<std::vector<JourneyRow>>& cache,
      const std::string& workspace_id, const std::string& event_name);
};

// The group-commit writer on PostgreSQL: one connection, its batches run by BatchWriter's thread:
// one round trip to the disk's sync for the whole batch. A connection the server dropped fails its
// batch (kUnavailable, which callers retry) and is opened again for the next one.
class PgWriter final : public BatchWriter {
 public:
  // Throws when it cannot connect.
  PgWriter(std::string uri, std::string database, const SecretBox& secrets);
  ~PgWriter() override;

 private:
  void run_batch(Batch& batch) override;
  // Runs the batch's first jobs in one transaction, commits them and calls their `done`; returns
  // how many it finished (all of them unless a job lost a deadlock behind earlier ones, which
  // then starts the next transaction). A failed transaction fails the whole batch.
  size_t run_part(Batch& batch);
  // The connection, opened again if it broke; kUnavailable while the server cannot be reached.
  Result<PgConnection*> connection();

  const std::string uri_;
  const std::string database_;
  std::unique_ptr<PgConnection> connection_;  // used only by the writer's thread
  PgWriteTxn txn_;                            // used only by the writer's thread
};

}  // namespace hookline::store::postgres
