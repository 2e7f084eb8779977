from django.db import migrations

# The bank grows to 26 prompts of our own, and every question gets follow-ups for each of
# the five phases: what the interviewer asks when the candidate stalls or glides past the
# interesting part. Like 0002, this only adds what is missing (a question by slug, the
# follow-ups of a phase that has none), so staff edits in the admin survive a re-run.

FS, TS, GD, EM, CO = "functional-spec", "technical-spec", "going-deep", "extra-mile", "communication"

NEW_QUESTIONS = [
    (
        "file-sync",
        "File sync and storage",
        "Design a service that keeps a user's folder in sync across their laptop, phone and "
        "the web, with sharing between users.",
        "Chunking files and syncing only changed chunks; metadata separate from blobs. The hard "
        "part is two devices editing the same file offline: conflict copies versus last write "
        "wins. Probe how a client learns about changes (long poll, push) and resumes an "
        "interrupted upload.",
        ["data-modeling", "concurrency", "scalability", "reliability"],
    ),
    (
        "key-value-store",
        "Distributed key-value store",
        "Design a key-value store that stays available when machines fail, for values up to "
        "a megabyte and millions of requests a second.",
        "Partitioning with consistent hashing, replication factor, quorum reads and writes and "
        "what N, R and W buy. Ask how conflicting writes are detected (vector clocks, "
        "last-write-wins) and repaired (read repair, anti-entropy with Merkle trees).",
        ["scalability", "reliability", "concurrency", "data-modeling"],
    ),
    (
        "job-scheduler",
        "Distributed job scheduler",
        "Design a service that runs other teams' jobs at a given time or on a cron schedule, "
        "tens of thousands of jobs a minute.",
        "Storing schedules so the next due jobs are cheap to find; claiming a job so two "
        "workers never run it twice (leases, fencing tokens). What at-least-once means for the "
        "jobs themselves, retries with backoff, and what happens to jobs due while the "
        "scheduler was down.",
        ["concurrency", "reliability", "data-modeling", "operability"],
    ),
    (
        "ad-click-aggregator",
        "Ad click aggregation",
        "Design the pipeline that counts ad clicks per ad per minute for advertisers' "
        "dashboards and for billing.",
        "Estimate the event rate. Stream processing with windows, late and duplicate events, "
        "exactly-once counting for billing versus approximate counts for dashboards. Ask how a "
        "bug in the counting is corrected after the fact (replay from the raw log).",
        ["estimation", "scalability", "reliability", "data-modeling"],
    ),
    (
        "leaderboard",
        "Real-time game leaderboard",
        "Design a leaderboard for an online game with millions of players: the top 100, and "
        "any player's own rank, updated as matches end.",
        "Sorted sets and why an exact rank for every player is expensive at scale; sharding "
        "by score range versus approximate ranks. Ties, seasonal resets, and cheating "
        "detection before a score counts.",
        ["caching", "scalability", "real-time", "data-modeling"],
    ),
    (
        "hotel-reservation",
        "Hotel reservations",
        "Design room booking for a hotel chain: search availability by date range, reserve, "
        "pay and cancel.",
        "Inventory per room type per night, not per room; overbooking on purpose and how much. "
        "Two guests booking the last room: optimistic locking, constraints or a reservation "
        "hold. Idempotent reservation requests from a client that retries after a timeout.",
        ["concurrency", "data-modeling", "api-design", "requirements"],
    ),
    (
        "photo-sharing",
        "Photo sharing",
        "Design a photo-sharing app: people upload photos, follow others and browse a feed "
        "of images.",
        "Uploads straight to object storage with signed URLs, thumbnails made asynchronously, "
        "a CDN for reads. Estimate storage per year. Ask how the metadata is sharded and what "
        "a deleted photo means for caches and the CDN.",
        ["estimation", "high-level-design", "caching", "scalability"],
    ),
    (
        "proximity-search",
        "Nearby places search",
        "Design the search behind 'restaurants near me': businesses with locations, ratings "
        "and opening hours, searched by distance and filters.",
        "Geohash, quadtree or a spatial index in the database, and the edge cases at cell "
        "borders. Reads vastly outnumber writes, so precompute and cache. Probe ranking that "
        "mixes distance and rating, and pagination over a ranked result.",
        ["data-modeling", "api-design", "caching", "scalability"],
    ),
    (
        "live-comments",
        "Live comments on streams",
        "Design live comments under a video stream watched by up to a million people at once.",
        "Fan-out to a million open connections: websockets or server-sent events, a pub/sub "
        "layer between writers and connection servers. Nobody reads a million comments a "
        "second: ask about sampling and rate limits. Ordering is per stream and loose.",
        ["real-time", "scalability", "estimation", "reliability"],
    ),
    (
        "feature-flags",
        "Feature flag service",
        "Design a feature flag service that other services ask, on every request, whether a "
        "feature is on for this user.",
        "Evaluation must be local and fast: flags pushed or polled into an SDK cache, never a "
        "network call per request. Percentage rollouts that stay sticky per user (hashing). "
        "What happens when the flag service is down, and the audit trail of who changed what.",
        ["reliability", "api-design", "caching", "operability"],
    ),
    (
        "online-auction",
        "Online auction",
        "Design an auction site where bidders place bids on items in the final minutes "
        "before an auction closes.",
        "The highest bid must be exact: concurrent bids on one item are the crux (a single "
        "writer per item, compare-and-set). Closing time and clock sources, sniping and "
        "auto-extension, and telling every watcher about a new high bid live.",
        ["concurrency", "real-time", "requirements", "reliability"],
    ),
    (
        "message-queue",
        "Distributed message queue",
        "Design a durable message queue that producers write to and consumer groups read "
        "from, like a small Kafka.",
        "An append-only log per partition, offsets held by consumers, replication with a "
        "leader per partition. Ask what ordering is guaranteed, what at-least-once means for "
        "consumers, and how retention and compaction keep the disks from filling.",
        ["reliability", "scalability", "data-modeling", "concurrency"],
    ),
]

FOLLOW_UPS = {
    "url-shortener": {
        FS: [
            "How many redirects per new link do you expect, and what does that ratio change?",
            "Can a link expire or be edited after it is shared? Who may do it?",
        ],
        TS: [
            "Walk me through the redirect path: which status code, and what is stored per link?",
            "How is the short key made: a hash, a counter, or pre-allocated ranges?",
        ],
        GD: [
            "Two servers issue keys at the same moment: how do you guarantee no collision?",
            "A link goes viral at 100,000 redirects a second. What serves it?",
        ],
        EM: [
            "How would you detect and block phishing links without slowing redirects?",
            "What do you alert on, and what is the first step in the on-call document?",
        ],
        CO: [
            "Did the candidate state the scale before choosing a key length? If not, ask why that length.",
        ],
    },
    "news-feed": {
        FS: [
            "What is 'recent': strictly by time, or ranked? What do you leave out of scope?",
            "How many people does a typical user follow, and the most-followed account?",
        ],
        TS: [
            "Sketch the feed API: what does a page request carry and return?",
            "Where does a new post go between the author's click and a follower's screen?",
        ],
        GD: [
            "Fan-out on write or on read? What about an account with 50 million followers?",
            "New posts arrive while I scroll: how does the client merge them without duplicates?",
        ],
        EM: [
            "How do you test a ranking change safely before everyone sees it?",
            "Which metric tells you the feed is stale, and what is its alert threshold?",
        ],
        CO: [
            "When you pushed on celebrity accounts, did the candidate adapt the design or defend it?",
        ],
    },
    "chat": {
        FS: [
            "What do 'delivered' and 'read' mean when I have three devices?",
            "How large can a group be, and is message history kept forever?",
        ],
        TS: [
            "How does a message travel from sender to an online recipient, and to an offline one?",
            "What is the primary key of a message, and how is history paged?",
        ],
        GD: [
            "The sender's phone retries after a timeout: how do you avoid a duplicate message?",
            "How is order kept in a group when two members send at the same moment?",
            "A chat server holding 100,000 connections dies: what do the clients do?",
        ],
        EM: [
            "How would you load-test a million concurrent connections?",
            "What goes into the on-call document for 'messages are delayed'?",
        ],
        CO: [
            "Did the candidate explain the websocket versus push trade-off, or name a technology and move on?",
        ],
    },
    "rate-limiter": {
        FS: [
            "Limit by what: user, API key, IP? Per endpoint? What does a limited client receive?",
            "How much error in the limit is acceptable: exactly 100, or about 100?",
        ],
        TS: [
            "Where does the limiter sit, and what does each check cost in latency?",
            "Which algorithm do you pick, and what does it get wrong at a window's edge?",
        ],
        GD: [
            "Fifty gateway instances share one counter: how do you make the increment atomic?",
            "The counter store is down. Fail open or closed, and for whom?",
        ],
        EM: [
            "How are new limits rolled out without locking out a big customer by mistake?",
            "Which dashboard shows that the limiter itself is the bottleneck?",
        ],
        CO: [
            "Did the candidate ask about the product's tolerance for error before choosing an algorithm?",
        ],
    },
    "ride-dispatch": {
        FS: [
            "What happens from 'request a ride' to 'driver arrives'? Which steps are in scope?",
            "How many drivers send locations, and how often? Estimate the write rate.",
        ],
        TS: [
            "How are driver locations stored so 'drivers within 2 km' is a cheap query?",
            "Draw the trip's states and who moves it from one to the next.",
        ],
        GD: [
            "How do you avoid offering one driver to two riders at once?",
            "The driver's phone loses signal mid-trip for three minutes: what breaks?",
        ],
        EM: [
            "How would you test matching logic without real cars on real streets?",
            "A city's match rate drops by half at 8 a.m.: what alerts, and who looks first?",
        ],
        CO: [
            "Did the candidate size the location stream before picking a store?",
        ],
    },
    "distributed-cache": {
        FS: [
            "What read latency and hit rate are we aiming for? How stale may a value be?",
            "Is the cache shared by many services or owned by one?",
        ],
        TS: [
            "How does a client find the node for a key, and what happens when a node joins?",
            "Which eviction policy, and what memory overhead per entry do you expect?",
        ],
        GD: [
            "A popular key expires and a thousand requests miss at once. What happens?",
            "How do writes keep the cache and the database consistent? Show a stale-read case.",
        ],
        EM: [
            "How do you deploy a new cache version without emptying every node at once?",
            "Which numbers on the dashboard tell you the cache is hurting the database?",
        ],
        CO: [
            "When challenged on consistency, did the candidate name the trade-off or change the subject?",
        ],
    },
    "notification-system": {
        FS: [
            "Which channels, who sends through us, and what do quiet hours mean across time zones?",
            "Which notifications may never be dropped, and which may be?",
        ],
        TS: [
            "What does the send API look like for a calling team? Is it synchronous?",
            "Where do preferences live, and when are they checked: at send or at delivery?",
        ],
        GD: [
            "A worker crashes after the provider accepted the SMS: how do you avoid a second one?",
            "An email provider throttles you to 100 a second: what queues, what waits?",
        ],
        EM: [
            "A provider is down for an hour: what does the on-call document say to do?",
            "How does a calling team test its templates without messaging real users?",
        ],
        CO: [
            "Did the candidate define 'exactly once' from the user's point of view before designing for it?",
        ],
    },
    "web-crawler": {
        FS: [
            "What do we keep from each page, and how fresh must the index be?",
            "Estimate bandwidth and storage for a billion pages a month.",
        ],
        TS: [
            "Draw the frontier, the fetchers and the parsers: what flows between them?",
            "How do you store seen URLs so the check is fast at a billion entries?",
        ],
        GD: [
            "How do you stay polite to one host while keeping every fetcher busy?",
            "How do you detect a crawler trap, and near-duplicate pages?",
        ],
        EM: [
            "The crawl crashes at 60%: what is checkpointed, and what is redone?",
            "What would you alert on for a crawl that is running but useless?",
        ],
        CO: [
            "Did the candidate drive the estimates, or wait to be asked for numbers?",
        ],
    },
    "payments-ledger": {
        FS: [
            "Which operations exist, and which must be reversible? What regulation applies?",
            "Who reads balances, how often, and how fresh must they be?",
        ],
        TS: [
            "Show the tables for a transfer between two users. Where is the balance?",
            "What does the transfer API take, and how does it make retries safe?",
        ],
        GD: [
            "Two transfers leave one account at the same moment: how do you prevent an overdraft?",
            "The bank's daily file disagrees with your ledger by one entry. What happens next?",
        ],
        EM: [
            "How do you test money movement without moving money?",
            "What gets audited, and who can read the audit log?",
        ],
        CO: [
            "Did the candidate insist on a single source of truth without being pushed?",
        ],
    },
    "video-streaming": {
        FS: [
            "Upload limits, formats, devices, live or recorded only? What is out of scope?",
            "Estimate storage per day of uploads and egress at peak.",
        ],
        TS: [
            "Walk me through an upload until the video can be watched.",
            "What does the player fetch first, and then every few seconds?",
        ],
        GD: [
            "Why do segments suit CDNs? How does the player choose a bitrate mid-stream?",
            "A video goes viral in one country: what is cached where?",
        ],
        EM: [
            "How do you roll out a new encoder without re-encoding the whole library?",
            "Which playback metric pages someone at night?",
        ],
        CO: [
            "Did the candidate separate the upload path from the playback path clearly?",
        ],
    },
    "collaborative-editor": {
        FS: [
            "How many editors per document at once? Do we need offline editing?",
            "What must a user see live: text, cursors, comments?",
        ],
        TS: [
            "How does one keystroke reach the other editors?",
            "What is stored: the document, the operations, or both?",
        ],
        GD: [
            "Two people delete the same word at once: walk me through OT or a CRDT on it.",
            "A user edits offline for an hour and reconnects: what merges, what conflicts?",
        ],
        EM: [
            "How would you test convergence? Would you use randomised tests?",
            "A document grows to 10 million operations: how do load times stay fast?",
        ],
        CO: [
            "Did the candidate use a concrete example to explain the merge algorithm?",
        ],
    },
    "search-autocomplete": {
        FS: [
            "How many suggestions, how fresh, and personalised or the same for everyone?",
            "Estimate the query rate given that every keystroke is a request.",
        ],
        TS: [
            "What structure answers 'top 10 for this prefix' within the latency budget?",
            "What does the API return, and does it paginate?",
        ],
        GD: [
            "How is the prefix table rebuilt from search logs without a pause in service?",
            "What does the client do to cut requests: debounce, cache, cancel?",
        ],
        EM: [
            "How are offensive suggestions kept out, and how fast can one be removed?",
            "What is the alert when suggestions go stale?",
        ],
        CO: [
            "Did the candidate check the latency budget against each hop of the design?",
        ],
    },
    "metrics-monitoring": {
        FS: [
            "How many servers, metrics per server and samples per minute?",
            "How long do we keep raw data, and what resolution after that?",
        ],
        TS: [
            "Push or pull collection? What does each need from the servers?",
            "How are time series stored and queried for a dashboard?",
        ],
        GD: [
            "A team adds a user-id label and the series count explodes. What protects you?",
            "How are alerts evaluated, and how do you avoid paging on noise?",
        ],
        EM: [
            "Who monitors the monitoring system?",
            "How do you upgrade the storage layer without losing an hour of data?",
        ],
        CO: [
            "Did the candidate ask who reads the dashboards before designing them?",
        ],
    },
    "ticket-booking": {
        FS: [
            "How long is a seat held while someone pays? What does a user see when it expires?",
            "How many people arrive in the first minute of a big on-sale?",
        ],
        TS: [
            "Show the data model for seats, holds and orders.",
            "What does the client call to hold a seat, and what comes back?",
        ],
        GD: [
            "Payment succeeds one second after the hold expired: who gets the seat?",
            "How do thousands of viewers see a fresh seat map without hammering the database?",
        ],
        EM: [
            "How would you rehearse an on-sale before the real one?",
            "What does the waiting room do when the booking service slows down?",
        ],
        CO: [
            "Did the candidate name the one guarantee that matters (no seat sold twice) early?",
        ],
    },
    "file-sync": {
        FS: [
            "What file sizes, how many devices per user, and is sharing read-only or editable?",
            "What should happen when two devices change the same file offline?",
        ],
        TS: [
            "What is stored where: file metadata, blocks, and the list of changes?",
            "How does a device learn that something changed elsewhere?",
        ],
        GD: [
            "A 2 GB upload is interrupted at 80%: what resumes, and how?",
            "Walk me through a conflict between two offline edits, step by step.",
        ],
        EM: [
            "How do you test sync across clients on different operating systems?",
            "A client bug starts deleting files: how do you notice, and how do you undo it?",
        ],
        CO: [
            "Did the candidate choose a conflict policy and say what the user sees, or leave it vague?",
        ],
    },
    "key-value-store": {
        FS: [
            "Which matters more when the network splits: availability or consistency?",
            "Value sizes, read/write ratio and the latency target?",
        ],
        TS: [
            "How are keys spread over nodes, and how many copies does each key have?",
            "What does the client API look like? Does it expose versions?",
        ],
        GD: [
            "Explain N, R and W with numbers: what does R=2, W=2, N=3 buy you?",
            "Two clients write one key on different sides of a partition: what happens after?",
        ],
        EM: [
            "How would you test behaviour under a partition before production finds out?",
            "A node's disk fills at 3 a.m.: what does on-call do?",
        ],
        CO: [
            "Did the candidate explain quorums with a concrete failure, not just the formula?",
        ],
    },
    "job-scheduler": {
        FS: [
            "How precise must start times be, and what happens to a job due while we were down?",
            "Who defines jobs, and what may a job do when it runs?",
        ],
        TS: [
            "How are schedules stored so the next due jobs are cheap to find?",
            "Draw the path from 'job is due' to 'job ran'.",
        ],
        GD: [
            "How do you make sure two workers never run the same job twice?",
            "A job runs for an hour and its worker dies at minute 50: what happens?",
        ],
        EM: [
            "How does a team see why its job did not run?",
            "What do you alert on: late jobs, failed jobs, or both, and to whom?",
        ],
        CO: [
            "Did the candidate distinguish at-least-once from exactly-once for the jobs themselves?",
        ],
    },
    "ad-click-aggregator": {
        FS: [
            "Who reads the counts, how fresh must they be, and is billing stricter than dashboards?",
            "Estimate clicks per second at peak.",
        ],
        TS: [
            "Draw the pipeline from the click to the advertiser's dashboard.",
            "What is stored raw, and what aggregated?",
        ],
        GD: [
            "A click arrives three minutes late: which window counts it?",
            "How do you count each click exactly once for billing when the pipeline retries?",
        ],
        EM: [
            "A bug overcounted yesterday's clicks. How do you correct the bills?",
            "Which metric shows the pipeline is falling behind?",
        ],
        CO: [
            "Did the candidate separate the billing path's guarantees from the dashboard's?",
        ],
    },
    "leaderboard": {
        FS: [
            "Global, per country, per friends? How fresh must a rank be after a match?",
            "How many players, and how many score updates a second at peak?",
        ],
        TS: [
            "Which store answers 'top 100' and 'my rank' quickly?",
            "What does the API return for a player ranked 2,345,678th?",
        ],
        GD: [
            "One sorted set no longer fits one machine: how do you shard it and still rank?",
            "Two players tie: who is ranked higher, and is it stable?",
        ],
        EM: [
            "How does the season reset without a minute of wrong ranks?",
            "How do you keep a cheated score off the board?",
        ],
        CO: [
            "Did the candidate ask whether an approximate rank is acceptable for most players?",
        ],
    },
    "hotel-reservation": {
        FS: [
            "Do guests book a room type or a specific room? Is overbooking allowed?",
            "What is the cancellation policy, and does it change the design?",
        ],
        TS: [
            "Show the inventory table for room types per night.",
            "What does the reserve request contain, and what makes it safe to retry?",
        ],
        GD: [
            "Two guests book the last room for overlapping nights at once. Who wins, and how?",
            "How does availability search stay fast over a 30-night range?",
        ],
        EM: [
            "How do you migrate inventory data without selling a room twice during the move?",
            "What is reconciled nightly, and what alerts if it disagrees?",
        ],
        CO: [
            "Did the candidate clarify room type versus room before drawing tables?",
        ],
    },
    "photo-sharing": {
        FS: [
            "Photo sizes, uploads a day, and who may see a photo?",
            "Estimate storage for a year, with thumbnails.",
        ],
        TS: [
            "Walk me through an upload: does the photo pass through your servers?",
            "How is a feed of images built and paged?",
        ],
        GD: [
            "How is photo metadata sharded, and how does 'photos by user' stay one query?",
            "A user deletes a photo: what happens in caches and the CDN?",
        ],
        EM: [
            "How do you roll out a new thumbnail size for existing photos?",
            "What alert tells you uploads are failing in one region?",
        ],
        CO: [
            "Did the candidate state assumptions about privacy before designing the read path?",
        ],
    },
    "proximity-search": {
        FS: [
            "How far is 'near', and which filters must combine with distance?",
            "How often do businesses change, and how fresh must search be?",
        ],
        TS: [
            "Which index finds businesses within 2 km? Why that one?",
            "What does a search request and its response look like, with pagination?",
        ],
        GD: [
            "A point sits at a cell border: how do you avoid missing close businesses?",
            "Rank by distance and rating together: how, and how do you page through it?",
        ],
        EM: [
            "How would you test search quality before shipping a ranking change?",
            "Which query latency percentile do you alert on?",
        ],
        CO: [
            "Did the candidate explain the spatial index with a drawing or example?",
        ],
    },
    "live-comments": {
        FS: [
            "Must every viewer see every comment? In the same order?",
            "Estimate comments per second and fan-out per comment for a million viewers.",
        ],
        TS: [
            "How does a comment travel from the writer to a million open connections?",
            "What protocol do viewers use to receive comments, and why?",
        ],
        GD: [
            "How do connection servers learn which streams their viewers watch?",
            "At 50,000 comments a second, what does each viewer actually receive?",
        ],
        EM: [
            "How would you load-test a million connections before a big event?",
            "How are abusive comments removed from screens already showing them?",
        ],
        CO: [
            "Did the candidate challenge the requirement that everyone sees everything?",
        ],
    },
    "feature-flags": {
        FS: [
            "What decides a flag: user, percentage, region? How fast must a change take effect?",
            "Who may change a flag in production, and is it audited?",
        ],
        TS: [
            "Where is a flag evaluated: in our service, or in an SDK inside the caller?",
            "How do flag changes reach thousands of running services?",
        ],
        GD: [
            "How does a 10% rollout stay sticky for the same user across servers?",
            "The flag service is down and a service restarts. What does it evaluate?",
        ],
        EM: [
            "How do you clean up flags nobody has touched in a year?",
            "A flag change caused an outage: how do you find it, and roll it back?",
        ],
        CO: [
            "Did the candidate keep the flag service off the request path without being told?",
        ],
    },
    "online-auction": {
        FS: [
            "How does an auction end: a fixed time, or extended after late bids?",
            "Who must see a new high bid, and how quickly?",
        ],
        TS: [
            "Show the data model for items, bids and the current high bid.",
            "What does the place-bid API return when the bid is too low?",
        ],
        GD: [
            "Two bids on one item arrive a millisecond apart: how is the winner decided?",
            "Which clock decides that the auction has closed?",
        ],
        EM: [
            "How do you test the final seconds of an auction under load?",
            "A bidder disputes a result: what do you keep to settle it?",
        ],
        CO: [
            "Did the candidate tie the concurrency design back to fairness for bidders?",
        ],
    },
    "message-queue": {
        FS: [
            "Which ordering is promised: global, per key, none?",
            "How long are messages kept, and may consumers re-read old ones?",
        ],
        TS: [
            "How is a topic stored on disk, and how are partitions spread over brokers?",
            "How does a consumer group remember where it is?",
        ],
        GD: [
            "A partition leader dies: which messages may be lost, and with which settings?",
            "A consumer processes a message then crashes before committing: what happens?",
        ],
        EM: [
            "How do you upgrade brokers without stopping producers?",
            "Which lag metric do you alert on, and who owns the alert?",
        ],
        CO: [
            "Did the candidate state the delivery guarantee before describing the design?",
        ],
    },
}


def add_bank(apps, schema_editor):
    Question = apps.get_model("interviews", "Question")
    FollowUp = apps.get_model("interviews", "FollowUp")
    SkillArea = apps.get_model("accounts", "SkillArea")
    areas = {area.slug: area for area in SkillArea.objects.all()}
    for slug, title, prompt, hints, skill_slugs in NEW_QUESTIONS:
        question, created = Question.objects.get_or_create(
            slug=slug, defaults={"title": title, "prompt": prompt, "hints": hints}
        )
        if created:
            question.skill_areas.set([areas[s] for s in skill_slugs if s in areas])
    for question in Question.objects.filter(slug__in=FOLLOW_UPS):
        written = set(FollowUp.objects.filter(question=question).values_list("phase", flat=True))
        FollowUp.objects.bulk_create(
            FollowUp(question=question, phase=phase, position=position, text=text)
            for phase, texts in FOLLOW_UPS[question.slug].items()
            if phase not in written
            for position, text in enumerate(texts)
        )


class Migration(migrations.Migration):
    dependencies = [("interviews", "0008_question_follow_up"), ("accounts", "0002_skill_areas")]

    operations = [migrations.RunPython(add_bank, migrations.RunPython.noop)]
