#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/event.h"
#include "core/webhook.h"
#include "store/delivery_queue.h"
#include "store/store_types.h"

namespace hookline::store {

// A webhook's deliveries to one contact when it delivers one at a time per contact.
struct OrderChain {
  std::string webhook_id;
  std::string order_key;  // Delivery::order_key
  bool operator==(const OrderChain&) const = default;
};

// The operations a write job may do, all inside the writer's current transaction. A job that
// returns an error has all of its own changes undone (and only its own: the other jobs of the batch
// commit). Calls are only valid during the job.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;

  // Runs `part` so that, if it fails, only its own changes are undone and the job can go on: for
  // a job made of independent parts (a dispatcher turn's attempts). The outer error means the
  // transaction itself failed and the job must stop; the inner one is `part`'s.
  virtual Result<Result<void>> in_savepoint(const std::function<Result<void>()>& part) = 0;

  // Contacts and lists, with the semantics of the same-named Store reads.
  virtual Result<ContactUpsert> upsert_contact(const Contact& contact) = 0;
  virtual Result<std::optional<Contact>> find_contact(const std::string& workspace_id,
                                                      const std::string& id) = 0;
  virtual Result<std::optional<Contact>> find_contact_by_email(const std::string& workspace_id,
                                                               const std::string& email) = 0;
  // A clash on email is kConflict naming "email"; an unknown id is kNotFound.
  virtual Result<void> update_contact(const Contact& contact) = 0;
  virtual Result<void> delete_contact(const std::string& workspace_id, const std::string& id) = 0;
  // Adds contacts that are not members yet and returns their ids. An unknown contact id is
  // kUnprocessable on "contact_ids".
  virtual Result<std::vector<std::string>> add_list_members(
      const std::string& workspace_id, const std::string& list_id,
      const std::vector<std::string>& contact_ids, int64_t now_ms) = 0;
  virtual Result<bool> remove_list_member(const std::string& workspace_id,
                                          const std::string& list_id,
                                          const std::string& contact_id) = 0;

  // The events a job is about to store and the emails of their contacts: a backend whose every
  // statement costs a round trip reads what event_exists and upsert_contact will ask about them
  // in one go, for the rest of the job. Their answers stay the same, and asking about others
  // still works: it is only a hint.
  virtual Result<void> prefetch_events(const std::string& workspace_id,
                                       const std::vector<std::string>& event_ids,
                                       const std::vector<std::string>& contact_emails) = 0;
  // Whether the workspace already has an event with this id (idempotency, before any work).
  virtual Result<bool> event_exists(const std::string& workspace_id, const std::string& id) = 0;
  // Events. False when an event with this id is already stored in the workspace (idempotency).
  virtual Result<bool> insert_event(const std::string& workspace_id, const Event& event,
                                    const std::string& contact_id, int64_t received_at) = 0;
  // Enabled webhooks of the workspace subscribed to this event name.
  // Shared and read-only: the store may hand every event the same cached list.
  virtual Result<std::shared_ptr<const std::vector<Webhook>>> subscribed_webhooks(
      const std::string& workspace_id, const std::string& event_name) = 0;

  // What journey blocks read and change.
  virtual Result<std::optional<Webhook>> find_webhook(const std::string& workspace_id,
                                                      const std::string& id) = 0;
  virtual Result<std::optional<ContactList>> find_list(const std::string& workspace_id,
                                                       const std::string& id) = 0;
  // False for a list not in the workspace.
  virtual Result<bool> is_list_member(const std::string& workspace_id, const std::string& list_id,
                                      const std::string& contact_id) = 0;

  // Journeys and enrolments. A journey starts contacts on its current version; a contact goes on
  // on the version it entered (Enrolment::journey_version), so what moves contacts on reads
  // versions: a row per (journey, version), JourneyRow::version telling which.
  // Active journeys whose trigger is on `event_name`, as their current versions.
  virtual Result<std::shared_ptr<const std::vector<JourneyRow>>> active_journeys_for_event(
      const std::string& workspace_id, const std::string& event_name) = 0;
  // The versions of active journeys whose goal block is on `event_name`: the current one, and
  // those contacts still wait on (a version no one is on any more may come or not).
  virtual Result<std::shared_ptr<const std::vector<JourneyRow>>> active_journeys_with_goal(
      const std::string& workspace_id, const std::string& event_name) = 0;
  // The versions (as for goals) of active journeys with a Wait until block waiting for
  // `event_name`.
  virtual Result<std::shared_ptr<const std::vector<JourneyRow>>> active_journeys_waiting_for(
      const std::string& workspace_id, const std::string& event_name) = 0;
  // One version of a journey; nullopt when the journey is gone.
  virtual Result<std::optional<JourneyRow>> find_journey_version(const std::string& workspace_id,
                                                                 const std::string& journey_id,
                                                                 int version) = 0;
  virtual Result<bool> has_enrolment(const std::string& journey_id,
                                     const std::string& contact_id) = 0;
  virtual Result<void> insert_enrolment(const Enrolment& enrolment) = 0;
  // Moves an enrolment: its block, status and wake-up time.
  virtual Result<void> update_enrolment(const Enrolment& enrolment) = 0;
  // Waiting enrolments of active journeys whose delay has ended, oldest first.
  virtual Result<std::vector<Enrolment>> due_enrolments(int64_t now_ms, int limit) = 0;
  // The contact's enrolments that wait at a delay, in any journey (a journey's goal takes them
  // out): one indexed read whichever journeys have goals.
  virtual Result<std::vector<Enrolment>> waiting_enrolments_of(const std::string& contact_id) = 0;
  // One contact's way through a version of a journey in one go (core/journey_path.h text), for
  // the per-block counts. Runs add up in memory and reach the stored counts once per distinct path
  // when the batch commits; a job that fails adds none.
  virtual void count_run(std::string_view journey_id, int version, std::string_view path) = 0;

  // Deliveries. insert_delivery stores it leased to delivery.lease.owner (claim number 1) until
  // next_attempt_at when the caller hands it straight to its dispatcher (lease.held()), else due
  // at next_attempt_at; a kQueued one is neither (release_next_in_order makes it pending).
  // Returns its seq.
  virtual Result<int64_t> insert_delivery(const Delivery& delivery) = 0;
  // Whether `webhook_id`'s chain of deliveries with this order key (Delivery::order_key) has a
  // head: an unfinished delivery, pending or retrying (its queued ones wait behind it). A new one
  // must then be queued. PostgreSQL locks the head until the commit: recording its end (which
  // releases the next) waits for this transaction, and then sees what it queued.
  virtual Result<bool> order_key_busy(const std::string& webhook_id,
                                      const std::string& order_key) = 0;
  // Leases to `owner` up to `limit` deliveries that are due (pending or retrying, next_attempt_at
  // <= now: not leased, or their lease ended) for lease_length_ms(lease_ms, its webhook's
  // timeout) (core/delivery.h), oldest due first; each claim takes the delivery's next lease
  // number (Delivery::lease).
  virtual Result<std::vector<Delivery>> claim_due_deliveries(const std::string& owner,
                                                             int64_t now_ms, int64_t lease_ms,
                                                             int limit) = 0;
  // Logs the attempt and moves the delivery to its next state; ends its lease. kConflict, and
  // nothing written, when record.lease is not the delivery's lease any more (it ended and another
  // claim took the delivery, or the API released it) or the delivery ended already.
  virtual Result<void> record_attempt(const AttemptRecord& record, int64_t now_ms) = 0;
  // Records several tries' outcomes, each as record_attempt would and each on its own, so that
  // one refused or failing does not keep the others from landing: one entry per record, in order,
  // nullopt when it was recorded, else why not. The outer error means the transaction failed.
  virtual Result<std::vector<std::optional<Error>>> record_attempts(
      const std::vector<AttemptRecord>& records, int64_t now_ms) = 0;
  // Counts a try record_attempts recorded in the delivery statistics (core/delivery_stats.h):
  // tries add up in memory and reach the stored per-minute rows once per webhook, minute and node
  // when the batch commits; a job that fails adds none.
  virtual void count_attempt(const AttemptRecord& record) = 0;
  // The heads of these chains (Delivery::order_key) ended and were recorded: each chain's oldest
  // queued delivery becomes pending, due now, unless the chain has a head again (a manual retry
  // made one pending meanwhile). One statement per chain.
  virtual Result<void> release_next_in_order(const std::vector<OrderChain>& chains,
                                             int64_t now_ms) = 0;
  // Up to `limit` chains that have queued deliveries and no head, each with its oldest queued one
  // released as release_next_in_order does; returns how many it found. Every path that ends a head
  // releases its chain in the same transaction, so this finds none unless something went wrong
  // (a bug, a head removed by hand): a safety net that store upkeep runs now and then.
  virtual Result<int64_t> release_headless_chains(int64_t now_ms, int limit) = 0;
  // Enrolments waiting at a Webhook block for one of these deliveries (whose outcome has just
  // been recorded) become due now, so the waker moves them on (Enrolment::waiting_delivery). One
  // statement for them all; an index holds only enrolments that wait for a delivery.
  virtual Result<void> wake_enrolments_awaiting(const std::vector<std::string>& delivery_ids,
                                                int64_t now_ms) = 0;
  // Successes just recorded whose answer is longer than the log's excerpt (AttemptRecord::answer):
  // where a journey's Webhook block waits for the delivery, its attempt keeps the whole answer
  // (what the client read, 64 KiB at most), so the block maps fields past the first 4 KiB. The
  // others keep the excerpt; this writes nothing for them.
  virtual Result<void> keep_awaited_answers(const std::vector<const AttemptRecord*>& records) = 0;
  // What a Webhook block waiting for the answer reads once it is woken: the delivery's state and
  // its last attempt's answer. nullopt for a delivery not in the workspace (deleted since).
  virtual Result<std::optional<DeliveryAnswer>> delivery_answer(const std::string& workspace_id,
                                                                const std::string& delivery_id) = 0;
  // Appends `note` to the error message of the delivery's last attempt: why its answer did not
  // map onto the contact, shown with the attempt in the delivery log.
  virtual Result<void> note_last_attempt(const std::string& workspace_id,
                                         const std::string& delivery_id,
                                         const std::string& note) = 0;
  // A manual retry: due now, not leased, its schedule as core requeue_now says. kNotFound for an
  // unknown id.
  virtual Result<Delivery> requeue_delivery(const std::string& workspace_id, const std::string& id,
                                            int64_t now_ms) = 0;
  // Recovery: starts a new round for the webhook's deliveries that failed (retrying, not in
  // flight) or died, created in [since, until). Returns how many.
  virtual Result<int64_t> requeue_failed(const std::string& workspace_id,
                                         const std::string& webhook_id, int64_t since_ms,
                                         int64_t until_ms, int64_t now_ms) = 0;
  // The leases `owner` holds end now: a node's start (DeliveryQueue::release_leases_of).
  virtual Result<int64_t> release_leases_of(const std::string& owner, int64_t now_ms) = 0;
  // A webhook was enabled again: the deliveries its dispatcher held become due now.
  virtual Result<int64_t> release_webhook_deliveries(const std::string& webhook_id,
                                                     int64_t now_ms) = 0;
  // DeliveryQueue::hasten.
  virtual Result<int64_t> hasten_deferred(const std::string& webhook_id, int64_t now_ms,
                                          int64_t until_ms, int limit) = 0;
  // Gives deliveries `owner` holds back, due at `due_at_ms`: for work a dispatcher took but will
  // not do. A lease that is not `owner`'s with that number any more is left as it is.
  virtual Result<void> release_deliveries(const std::string& owner,
                                          const std::vector<LeaseRef>& leases,
                                          int64_t due_at_ms) = 0;

  // A breaker's change (DeliveryQueue::share_breaker): keeps since when the webhook has been
  // failing (set by the opening that ends a closed spell, cleared by a close) and returns it, 0
  // when closed; a store several nodes share also tells the others when the transaction commits.
  virtual Result<int64_t> share_breaker(const BreakerNews& news) = 0;

  // Retention, a small step at a time: each step is one write job, so it holds the writer only
  // briefly. purge_deliveries looks at up to `limit` deliveries after seq `after`, oldest first,
  // and removes, with their bodies and attempts, those that ended (succeeded or dead) before
  // `cutoff_ms`; pending and retrying ones stay. It finishes at the first delivery created at or
  // after the cutoff: none after it can have ended before.
  virtual Result<PurgeStep> purge_deliveries(int64_t after, int64_t cutoff_ms, int limit) = 0;
  // Removes up to `limit` of the oldest events received before `cutoff_ms`, keeping every event
  // whose details a stored delivery body still holds (store/body_splice.h).
  virtual Result<PurgeStep> purge_events(int64_t cutoff_ms, int limit) = 0;
  // Removes the delivery statistics of minutes before `before_minute` (Unix ms / 60000): a few
  // rows per webhook and minute, all in one go.
  virtual Result<int64_t> purge_delivery_stats(int64_t before_minute) = 0;

  // Forgetting a contact (the right to be forgotten). request_forget, in the job that deletes the
  // contact: removes its journey enrolments, the catalog's examples taken from its events and the
  // changes the audit log recorded for it (who and when stay), and asks for the rest of its
  // history to go (a ForgetRequest up to the rows stored now; the events the deletion itself
  // makes are not part of it).
  virtual Result<void> request_forget(const std::string& workspace_id,
                                      const std::string& contact_id, int64_t now_ms) = 0;
  // The oldest request still open, if any.
  virtual Result<std::optional<ForgetRequest>> next_forget_request() = 0;
  // One step of a request: looks at up to `limit` deliveries after the request's progress,
  // removing those of the contact's events with their bodies and attempts, then, once they are
  // all looked at, at up to `limit` events, removing the contact's. Saves the progress; the last
  // step removes the request and says finished. Deliveries are looked at first because they are
  // told apart by their event.
  virtual Result<PurgeStep> forget_step(const ForgetRequest& request, int limit) = 0;
};

// A manual retry of `delivery` as read (requeue_now), keeping its chain's order: one still queued
// is refused (kConflict: it goes when the one before it ends), and one that had ended is queued
// again behind its chain's unfinished deliveries, if any. For WriteTxn::requeue_delivery.
Result<void> requeue_in_order(WriteTxn& txn, Delivery& delivery, int64_t now_ms);

// record_attempts through record_attempt: all in one savepoint, and only when one fails, each in a
// savepoint of its own. For a backend with no faster way, and as the fallback of one that has.
Result<std::vector<std::optional<Error>>> record_each(WriteTxn& txn,
                                                      const std::vector<AttemptRecord>& records,
                                                      int64_t now_ms);

using WriteJob = std::function<Result<void>(WriteTxn&)>;
// Runs after the batch committed (or failed), on the writer's thread: must not block.
using WriteDone = std::function<void(Result<void>)>;

// What a write job's commit owes the disk.
enum class Durability {
  // Someone is told it is stored (the API's 2xx, a journey moved on): its commit waits until the
  // disk has it, so a power cut loses nothing acknowledged.
  kAcknowledged,
  // A power cut that loses it only makes work happen again: a try's outcome (the delivery is sent
  // again, at least once), a claim or a release (a lease that runs out). Its commit does not wait
  // for the disk; a later waiting commit, or the next checkpoint, syncs it with the rest. A
  // process crash (kill -9) loses nothing either way.
  kRedoable,
};

}  // namespace hookline::store
