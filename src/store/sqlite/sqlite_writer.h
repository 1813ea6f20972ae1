#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "core/secret_box.h"
#include "store/batch_writer.h"
#include "store/by_event_cache.h"
#include "store/delivery_tally.h"
#include "store/event_catalog.h"
#include "store/path_counts.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/sqlite_db.h"
#include "store/write_txn.h"

namespace hookline::store::sqlite {

// WriteTxn on the writer's connection. Prepared statements are cached for the connection's life:
// the event path runs the same few statements thousands of times a second.
class SqliteWriteTxn final : public WriteTxn {
 public:
  SqliteWriteTxn(Connection& connection, const SecretBox& secrets)
      : connection_(connection), secrets_(secrets) {}

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

  // Ends every statement still part-way through its rows. A statement left stepping keeps its read
  // snapshot open past COMMIT, and the next BEGIN IMMEDIATE would fail as "database is locked".
  void reset_statements();

  // BEGIN, SAVEPOINT, COMMIT and friends, prepared once rather than parsed on every job.
  Result<void> control(std::string_view sql);

  // Called at the start of each batch: the configuration caches below are dropped when another
  // connection (the management API's) has committed since the last batch.
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
  // Removes the delivery numbered `seq` with its body and attempts (retention, forgetting).
  Result<void> remove_delivery(int64_t seq);
  // The cached statement for `sql`, reset and with its bindings cleared.
  Statement& prepare(std::string_view sql);
  // The attempt's delivery_seq, or when the caller did not know it, its delivery's looked up by id.
  Result<int64_t> delivery_seq(const Attempt& attempt);
  Result<std::optional<Contact>> find_contact_where(std::string_view column,
                                                    const std::string& workspace_id,
                                                    const std::string& value);

  // Looked up by the SQL text itself, without copying it (heterogeneous lookup).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };

  Connection& connection_;
  const SecretBox& secrets_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;

  // The event this job stored last, as stored: the deliveries made from it next keep their body
  // without its details (store/body_splice.h). Cleared at the end of each job.
  struct StoredEvent {
    std::string workspace_id;
    std::string id;
    int64_t seq = 0;
    std::string details;  // the JSON text in its row
  };
  StoredEvent last_event_;
  PathCounts path_counts_;
  DeliveryTally delivery_tally_;
  CatalogNews catalog_news_;

  // Which webhooks and journeys listen to an event, by workspace and event name. Webhooks and
  // journeys change only through the other connection, so SQLite's data_version (which counts the
  // other connections' commits) says exactly when these may be stale.
  int64_t data_version_ = -1;
  ListenerCaches caches_;
  // The rows `select` reads (with the workspace as $1 and the event name as $2), cached in
  // `cache` until a journey changes.
  Result<std::shared_ptr<const std::vector<JourneyRow>>> journeys_listening(
      const std::string& select, ByEventCache<std::vector<JourneyRow>>& cache,
      const std::string& workspace_id, const std::string& event_name);
};

// The group-commit writer on SQLite: one connection, its batches run by BatchWriter's thread. One
// fsync serves the whole batch, which is what makes durable ingest fast. Checkpoints run beside it
// (Checkpointer), so a commit only appends to the WAL.
class SqliteWriter final : public BatchWriter {
 public:
  // Throws when the file cannot be opened.
  SqliteWriter(const std::string& path, const SecretBox& secrets);
  ~SqliteWriter() override;

  // Also stops the checkpointer, once the writer (whose commits wake it) has stopped.
  void stop() override;

 private:
  void run_batch(Batch& batch) override;
  // synchronous=FULL (the commit syncs the WAL) for a batch someone is answered for, NORMAL (it
  // only appends; the next FULL commit or checkpoint syncs it) for one of redoable jobs only.
  Result<void> sync_for(bool redoable);
  // sqlite3_wal_hook: runs inside each COMMIT on the writer's thread, with the WAL's size.
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_frames);

  Connection connection_;
  Checkpointer checkpointer_;
  SqliteWriteTxn txn_;          // used only by the writer's thread
  bool synced_commits_ = true;  // the connection's synchronous setting: FULL (true) or NORMAL
};

}  // namespace hookline::store::sqlite
