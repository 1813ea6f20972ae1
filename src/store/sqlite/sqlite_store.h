#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/secret_box.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_writer.h"
#include "store/store.h"
#include "store/writer_delivery_queue.h"

namespace hookline::store::sqlite {

// The embedded store: one SQLite file in WAL mode.
//
// Two connections: writer_ runs the group-commit jobs (the event path, contact and delivery
// changes) on its own thread; connection_, under mutex_, serves reads and the management API's
// webhook and list changes, which are rare and short. WAL lets the reads run beside the writer.
class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database file; webhook secrets are sealed and opened with
  // `secrets`. Throws when it cannot: start-up fails loudly.
  SqliteStore(const std::string& path, std::shared_ptr<const SecretBox> secrets);
  ~SqliteStore() override;

  Result<std::vector<int>> migrate() override;
  Result<SealReport> seal_secrets(SealMode mode) override;

  Result<std::string> default_workspace_id(int64_t now_ms) override;
  Result<void> insert_workspace(const Workspace& workspace) override;
  Result<Workspace> get_workspace(const std::string& id) override;
  Result<Page<Workspace>> list_workspaces(const PageRequest& page) override;

  Result<void> add_api_key(const ApiKey& key, const std::string& key_hash) override;
  Result<std::optional<ApiKey>> find_api_key(const std::string& key_hash) override;
  Result<Page<ApiKey>> list_api_keys(const std::string& workspace_id,
                                     const PageRequest& page) override;
  Result<RevokedKey> revoke_api_key(const std::string& workspace_id, const std::string& id,
                                    bool instance_too, int64_t now_ms) override;
  Result<void> record_api_key_use(const std::string& id, int64_t now_ms) override;
  Result<int64_t> count_api_keys() override;

  Result<void> append_audit(const AuditEntry& entry) override;
  Result<Page<AuditEntry>> list_audit(const std::string& workspace_id, const AuditFilter& filter,
                                      const PageRequest& page) override;

  Result<void> insert_webhook(const Webhook& webhook) override;
  Result<Webhook> get_webhook(const std::string& workspace_id, const std::string& id) override;
  Result<Page<Webhook>> list_webhooks(const std::string& workspace_id,
                                      const PageRequest& page) override;
  Result<void> update_webhook(const Webhook& webhook) override;
  Result<Webhook> rotate_webhook_secret(const std::string& workspace_id, const std::string& id,
                                        const std::string& new_secret, int64_t expires_at,
                                        int64_t now_ms) override;
  Result<void> delete_webhook(const std::string& workspace_id, const std::string& id) override;
  Result<bool> disable_webhook(const std::string& workspace_id, const std::string& id,
                               const std::string& reason, int64_t now_ms) override;
  Result<std::vector<ProbeDue>> webhooks_to_probe(int64_t now_ms, int64_t first_probe_ms,
                                                  int limit) override;
  Result<bool> claim_probe(const ProbeDue& due, int64_t next_ms) override;
  Result<bool> heal_webhook(const std::string& workspace_id, const std::string& id,
                            int64_t now_ms) override;

  Result<Contact> get_contact(const std::string& workspace_id, const std::string& id) override;
  Result<std::optional<Contact>> find_contact_by_email(const std::string& workspace_id,
                                                       const std::string& email) override;
  Result<Page<Contact>> list_contacts(const std::string& workspace_id, const PageRequest& page,
                                      const std::string& search) override;
  Result<ContactActivity> read_contact_activity(const std::string& workspace_id,
                                                const std::string& contact_id,
                                                const TimelinePosition& from,
                                                const ActivityLimits& limits) override;

  Result<void> insert_list(const ContactList& list) override;
  Result<ContactList> get_list(const std::string& workspace_id, const std::string& id) override;
  Result<Page<ContactList>> list_lists(const std::string& workspace_id,
                                       const PageRequest& page) override;
  Result<void> delete_list(const std::string& workspace_id, const std::string& id) override;
  Result<Page<Contact>> list_members(const std::string& workspace_id, const std::string& list_id,
                                     const PageRequest& page) override;

  Result<void> insert_journey(const JourneyRow& journey) override;
  Result<JourneyRow> get_journey(const std::string& workspace_id, const std::string& id) override;
  Result<Page<JourneyRow>> list_journeys(const std::string& workspace_id,
                                         const PageRequest& page) override;
  Result<void> update_journey(const JourneyRow& journey, const JourneyRow& before) override;
  Result<void> set_journey_status(const std::string& workspace_id, const std::string& id,
                                  JourneyStatus status, int64_t now_ms) override;
  Result<void> delete_journey(const std::string& workspace_id, const std::string& id) override;
  Result<std::map<std::string, BlockStats>> journey_stats(const std::string& workspace_id,
                                                          const std::string& journey_id) override;
  Result<JourneyRow> get_journey_version(const std::string& workspace_id, const std::string& id,
                                         int version) override;
  Result<std::vector<JourneyVersionInfo>> journey_versions(const std::string& workspace_id,
                                                           const std::string& id) override;
  Result<std::map<std::string, BlockStats>> version_stats(const std::string& workspace_id,
                                                          const std::string& journey_id,
                                                          int version) override;
  Result<Page<Enrolment>> contact_enrolments(const std::string& workspace_id,
                                             const std::string& contact_id,
                                             const PageRequest& page) override;

  using GroupCommit::write;
  void write(WriteJob job, WriteDone done, Durability durability) override;
  void stop_writer() override;

  Result<Page<Delivery>> list_deliveries(const std::string& workspace_id,
                                         const DeliveryFilter& filter,
                                         const PageRequest& page) override;
  Result<Delivery> get_delivery(const std::string& workspace_id, const std::string& id) override;
  Result<std::vector<Attempt>> list_attempts(const std::string& workspace_id,
                                             const std::string& delivery_id) override;
  Result<int> heartbeat(const std::string& /*node_id*/, int64_t /*now_ms*/) override { return 1; }
  Result<std::vector<EventTypeInfo>> event_types(const std::string& workspace_id) override;
  Result<std::vector<std::string>> contact_property_keys(const std::string& workspace_id) override;
  Result<StatsReport> delivery_stats(const std::string& workspace_id,
                                     const StatsWindow& window) override;
  Result<QueueCounts> queue_counts(const std::string& owner, int64_t now_ms) override;
  DeliveryQueue& delivery_queue() override { return queue_; }
  std::unique_ptr<ClusterWatch> watch_cluster(ClusterListener /*listener*/) override {
    return std::make_unique<ClusterWatch>();
  }
  Result<StorageStats> storage_stats() override;
  bool storage_full() const override { return writer_->storage_full(); }
  void write_writer_metrics(PrometheusText& text) const override {
    writer_->write_prometheus(text);
  }

 private:
  // REQUIRES: mutex_ held.
  Result<void> write_webhook_events(const Webhook& webhook);
  Result<std::optional<Contact>> find_contact_locked(const std::string& workspace_id,
                                                     std::string_view column,
                                                     const std::string& value);

  // journey_stats and version_stats: `version` is one, or kAllVersions.
  Result<std::map<std::string, BlockStats>> block_stats(const std::string& workspace_id,
                                                        const std::string& journey_id, int version);
  // REQUIRES: mutex_ held. Leaves no copy of what a pass replaced in the file: free pages and
  // the WAL are rewritten.
  Result<void> scrub_replaced_secrets();

  const std::string path_;
  const std::shared_ptr<const SecretBox> secrets_;
  std::mutex mutex_;
  Connection connection_;  // GUARDED_BY(mutex_)
  std::unique_ptr<SqliteWriter> writer_;
  WriterDeliveryQueue queue_{*this};  // through writer_
};

}  // namespace hookline::store::sqlite
