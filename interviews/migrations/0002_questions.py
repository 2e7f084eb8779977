from django.db import migrations

# The question bank we start with: classic system design prompts, written by us. Each names
# the skill areas it exercises best (the booking picks by overlap with the candidate's
# weakest areas) and hints for the interviewer only. Staff edit them in the admin; this
# migration only adds rows that are missing, so staff edits survive a re-run.
QUESTIONS = [
    (
        "url-shortener",
        "URL shortener",
        "Design a service that turns long URLs into short links and redirects visitors, "
        "for a few hundred million new links a month.",
        "Push for the read/write ratio and the redirect latency budget early. Good answers "
        "compare hashing with a counter or pre-allocated key ranges and say how collisions and "
        "custom aliases are handled. Go deep on the key generator under concurrency and on "
        "caching hot links at the edge. Extra mile: abuse (phishing links), expiry, analytics "
        "without slowing redirects.",
        ["requirements", "estimation", "data-modeling", "caching"],
    ),
    (
        "news-feed",
        "News feed",
        "Design the home feed of a social network: people follow others and see their "
        "recent posts, newest first, as they scroll.",
        "The classic trade-off is fan-out on write versus on read; strong candidates mix "
        "them (celebrities pulled at read time). Ask how pagination works with a cursor and "
        "how the client merges new posts into what it already shows. Probe the feed cache's "
        "size and what happens when a user unfollows someone.",
        ["high-level-design", "api-design", "scalability", "caching"],
    ),
    (
        "chat",
        "Chat service",
        "Design one-to-one and small-group chat with delivery and read receipts, for mobile "
        "and web clients.",
        "Websockets versus long polling versus push notifications, and when each applies. "
        "Message ordering per conversation, idempotent sends from flaky mobile networks, and "
        "what 'delivered' means with several devices. Ask where a message lives before the "
        "recipient is online and how history is paged.",
        ["real-time", "concurrency", "data-modeling", "reliability"],
    ),
    (
        "rate-limiter",
        "Rate limiter",
        "Design a rate limiter that an API gateway calls on every request, shared by many "
        "gateway instances.",
        "Compare token bucket, fixed and sliding windows and say what each gets wrong at "
        "the edges. The shared counter is the crux: atomic increments, a race between "
        "instances, clock skew. Ask what happens when the counter store is down (fail open "
        "or closed?) and how limits are configured and rolled out.",
        ["concurrency", "api-design", "reliability", "operability"],
    ),
    (
        "ride-dispatch",
        "Ride-sharing dispatch",
        "Design the part of a ride-sharing service that matches riders with nearby drivers "
        "and tracks the trip.",
        "Location updates every few seconds from every driver: estimate the write rate. "
        "Geo indexing (geohash, quadtree, S2 cells) and how a match avoids offering one "
        "driver to two riders at once. Probe the state machine of a trip and what a phone "
        "losing signal mid-trip does to it.",
        ["estimation", "real-time", "concurrency", "scalability"],
    ),
    (
        "distributed-cache",
        "Distributed cache",
        "Design an in-memory key-value cache spread over many machines, used in front of a "
        "slower database.",
        "Consistent hashing and what happens when a node joins or dies. Eviction policy, hot "
        "keys, and the thundering herd when a popular key expires. Ask how writes keep the "
        "cache and the database consistent (write-through, write-around, invalidation) and "
        "what stale read the product can tolerate.",
        ["caching", "scalability", "reliability", "concurrency"],
    ),
    (
        "notification-system",
        "Notification system",
        "Design a service that sends emails, SMS and push notifications for other teams' "
        "products, with user preferences and quiet hours.",
        "Queues and retries with backoff; the key question is exactly-once from the user's "
        "point of view (idempotency keys, deduplication). Per-channel rate limits from the "
        "providers, templates, time zones for quiet hours. Extra mile: what the on-call "
        "document says when a provider is down.",
        ["reliability", "high-level-design", "operability", "api-design"],
    ),
    (
        "web-crawler",
        "Web crawler",
        "Design a crawler that fetches a billion pages a month to feed a search index.",
        "The frontier: prioritisation, politeness per host, deduplication of URLs and of "
        "near-identical content. Estimate bandwidth and storage. Ask how the crawler avoids "
        "traps and what is checkpointed so a crash does not restart the crawl.",
        ["estimation", "scalability", "data-modeling", "reliability"],
    ),
    (
        "payments-ledger",
        "Payments ledger",
        "Design the ledger behind a wallet product: top-ups, transfers between users and "
        "withdrawals, with balances that must never be wrong.",
        "Double-entry bookkeeping and immutable entries; balances derived or cached with a "
        "clear source of truth. The concurrency question is two transfers from one account at "
        "once: row locks, serialisable transactions or a single writer per account. "
        "Idempotent requests from clients that retry, reconciliation with the bank, audit.",
        ["data-modeling", "concurrency", "reliability", "api-design"],
    ),
    (
        "video-streaming",
        "Video streaming",
        "Design a video platform: creators upload videos and viewers watch them on any "
        "device and connection.",
        "Upload and transcoding pipeline into several bitrates; adaptive streaming (HLS or "
        "DASH) and why segments suit CDNs. Estimate storage and egress. Ask what is cached "
        "where and how a viral video differs from the long tail.",
        ["estimation", "high-level-design", "caching", "scalability"],
    ),
    (
        "collaborative-editor",
        "Collaborative editor",
        "Design a document editor where several people type in the same document at the "
        "same time and see each other's changes live.",
        "Operational transformation versus CRDTs, at the level of what each guarantees. "
        "Presence and cursors over websockets, offline edits merged later, snapshots plus an "
        "operation log. Probe conflict cases concretely: two people deleting the same word.",
        ["real-time", "concurrency", "data-modeling", "high-level-design"],
    ),
    (
        "search-autocomplete",
        "Search autocomplete",
        "Design the suggestions shown under a search box as the user types, within 100 ms.",
        "Tries or precomputed prefix tables, top-k per prefix, how fresh the suggestions "
        "must be and how they are rebuilt. Client debouncing and caching, the API's shape "
        "and pagination (usually none). Ask how offensive suggestions are filtered.",
        ["api-design", "caching", "estimation", "requirements"],
    ),
    (
        "metrics-monitoring",
        "Metrics and monitoring",
        "Design a system that collects metrics from thousands of servers, stores them, draws "
        "dashboards and raises alerts.",
        "Push versus pull collection, time-series storage with downsampling and retention, "
        "cardinality explosions from labels. Alert evaluation and how to avoid paging on "
        "noise. Who monitors the monitoring system?",
        ["operability", "data-modeling", "scalability", "reliability"],
    ),
    (
        "ticket-booking",
        "Ticket booking",
        "Design ticket sales for concerts: seat maps, holds while people pay, and big "
        "on-sale moments when everyone arrives at once.",
        "No seat sold twice: holds with expiry, database constraints or locks, what happens "
        "when payment succeeds after the hold expired. A virtual waiting room for spikes. "
        "Ask how the seat map stays fresh for thousands of viewers without hammering the "
        "database.",
        ["concurrency", "requirements", "scalability", "real-time"],
    ),
]


def add_questions(apps, schema_editor):
    Question = apps.get_model("interviews", "Question")
    SkillArea = apps.get_model("accounts", "SkillArea")
    areas = {area.slug: area for area in SkillArea.objects.all()}
    for slug, title, prompt, hints, skill_slugs in QUESTIONS:
        question, created = Question.objects.get_or_create(
            slug=slug, defaults={"title": title, "prompt": prompt, "hints": hints}
        )
        if created:
            question.skill_areas.set([areas[s] for s in skill_slugs if s in areas])


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial"), ("accounts", "0002_skill_areas")]

    operations = [migrations.RunPython(add_questions, migrations.RunPython.noop)]
