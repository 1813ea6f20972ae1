#pragma once

#include <memory>
#include <string>

#include "core/secret_box.h"
#include "store/postgres/pg_pool.h"
#include "store/postgres/pg_writer.h"
#include "store/store.h"
#include "store/writer_delivery_queue.h"

namespace hookline::store::postgres {

// The shared store: one PostgreSQL database that several nodes use at once.
//
// The API's reads and its few writes (webhooks, lists, journeys) go through a pool of
// connections; write jobs (the event path, contact and delivery changes, claims) run in groups on
// the writer's own connection and thread, one transaction per batch, as in the SQLite store.
// Claims lock the rows they take (FOR UPDATE SKIP LOCKED), so nodes claiming at once take
// different deliveries.
class PgStore final : public Store {
 public:
  // Connects to `uri` (a libpq URI; `database`, when not empty, replaces its database); webhook
  // secrets are sealed and opened with `secrets`, which every node sharing the database must
  // hold. Throws when it cannot connect: start-up fails loudly.
  PgStore(const std::string& uri, std::shared_ptr<const SecretBox> secrets,
          const std::string& database = "");
  ~PgStore() override;

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
  Result<int> heartbeat(const std::string& node_id, int64_t now_ms) override;
  Result<std::vector<EventTypeInfo>> event_types(const std::string& workspace_id) override;
  Result<std::vector<std::string>> contact_property_keys(const std::string& workspace_id) override;
  Result<StatsReport> delivery_stats(const std::string& workspace_id,
                                     const StatsWindow& window) override;
  Result<QueueCounts> queue_counts(const std::string& owner, int64_t now_ms) override;
  DeliveryQueue& delivery_queue() override { return queue_; }
  std::unique_ptr<ClusterWatch> watch_cluster(ClusterListener listener) override;
  Result<StorageStats> storage_stats() override;
  bool storage_full() const override { return writer_->storage_full(); }
  void write_writer_metrics(PrometheusText& text) const override {
    writer_->write_prometheus(text);
  }

 private:
  // Runs `work` on a pooled connection (PgPool::run).
  template <typename T>
  Result<T> with_connection(const std::function<Result<T>(PgConnection&)>& work) {
    return pool_.run<T>(work);
  }

  // journey_stats and version_stats: `version` is one, or kAllVersions.
  Result<std::map<std::string, BlockStats>> block_stats(const std::string& workspace_id,
                                                        const std::string& journey_id, int version);

  const std::string uri_;
  const std::string database_;
  const std::shared_ptr<const SecretBox> secrets_;
  PgPool pool_;
  std::unique_ptr<PgWriter> writer_;
  WriterDeliveryQueue queue_{*this};  // through writer_
};

}  // namespace hookline::store::postgres
