from decimal import Decimal

from django.db import migrations

# SPEC §8: the seeded study catalogue. Staff edit it in the admin afterwards, so this is only
# the starting point. Each row: (title, kind, url, author, hours, skill area slugs, description).
# The description is our own line: what a candidate gets from it for a design interview.
CATALOGUE = (
    # --- Named in SPEC §8 ---
    (
        "Seven Databases in Seven Weeks",
        "book",
        "https://pragprog.com/titles/pwrdata/seven-databases-in-seven-weeks-second-edition/",
        "Luc Perkins, Eric Redmond, Jim R. Wilson",
        "20.0",
        ("data-modeling",),
        "Hands-on days with relational, key-value, document, column and graph stores, so you can "
        "pick storage from the access pattern and say why.",
    ),
    (
        "Seven Concurrency Models in Seven Weeks",
        "book",
        "https://pragprog.com/titles/pb7con/seven-concurrency-models-in-seven-weeks/",
        "Paul Butcher",
        "18.0",
        ("concurrency",),
        "Threads and locks, actors, CSP, functional and data-parallel styles on real code, so you "
        "can name the model behind a design and how it fails.",
    ),
    (
        "Scaling Pinterest",
        "talk",
        "https://www.infoq.com/presentations/Pinterest/",
        "Yashwanth Nelapati, Marty Weiner",
        "1.0",
        ("scalability", "data-modeling", "caching"),
        "How a tiny team grew to billions of page views by sharding MySQL on IDs and keeping the "
        "stack boring: a ready story when you propose sharding.",
    ),
    (
        "Scaling Dropbox",
        "talk",
        "https://www.infoq.com/presentations/dropbox-infrastructure/",
        "Preslav Le",
        "1.0",
        ("scalability", "reliability"),
        "How Dropbox's metadata and storage tiers evolved under growth, with MySQL, caching and "
        "outage lessons to quote when you scale a file-sync design.",
    ),
    (
        "Timelines at Scale",
        "talk",
        "https://www.infoq.com/presentations/Twitter-Timeline-Scalability/",
        "Raffi Krikorian",
        "1.0",
        ("real-time", "caching"),
        "Fan-out on write into cached timelines, with the exception for accounts with huge "
        "followings: the tradeoff interviewers probe in every news-feed design.",
    ),
    (
        "Simple Made Easy",
        "talk",
        "https://www.infoq.com/presentations/Simple-Made-Easy/",
        "Rich Hickey",
        "1.0",
        ("high-level-design", "data-modeling"),
        "Separating simple (not entangled) from easy (familiar) gives you words to defend clean "
        "component boundaries when you draw the design.",
    ),
    (
        "The Value of Values",
        "talk",
        "https://www.infoq.com/presentations/Value-Values/",
        "Rich Hickey",
        "1.0",
        ("data-modeling", "high-level-design"),
        "Why immutable, timestamped facts beat update-in-place, which sharpens the append-only "
        "and event-log data models you sketch in interviews.",
    ),
    (
        "Are We There Yet?",
        "talk",
        "https://www.infoq.com/presentations/Are-We-There-Yet-Rich-Hickey/",
        "Rich Hickey",
        "1.5",
        ("high-level-design", "data-modeling", "concurrency"),
        "Identity, state and time as separate ideas, which clarifies how readers should see "
        "consistent snapshots of data that keeps changing.",
    ),
    # --- Books ---
    (
        "Designing Data-Intensive Applications",
        "book",
        "https://dataintensive.net/",
        "Martin Kleppmann",
        "30.0",
        ("data-modeling", "scalability", "concurrency", "reliability"),
        "Replication, partitioning, transactions and streams explained through their tradeoffs: "
        "the best single source for the deep-dive half of an interview.",
    ),
    (
        "Site Reliability Engineering",
        "book",
        "https://sre.google/sre-book/table-of-contents/",
        "Betsy Beyer, Chris Jones, Jennifer Petoff, Niall Richard Murphy (eds.)",
        "25.0",
        ("reliability", "operability"),
        "Google's practice of SLOs, error budgets, on-call and postmortems, free online: concrete "
        "answers when asked how the system is run.",
    ),
    (
        "The Site Reliability Workbook",
        "book",
        "https://sre.google/workbook/table-of-contents/",
        "Betsy Beyer, Niall Richard Murphy, David K. Rensin, Kent Kawahara, Stephen Thorne (eds.)",
        "15.0",
        ("operability", "reliability"),
        "Worked examples of SLOs, burn-rate alerts and canary releases, to turn 'we would monitor "
        "it' into specific alerts and rollout steps.",
    ),
    (
        "Release It! (Second Edition)",
        "book",
        "https://pragprog.com/titles/mnee2/release-it-second-edition/",
        "Michael T. Nygard",
        "14.0",
        ("reliability", "operability"),
        "Timeouts, circuit breakers and bulkheads with the production failures behind them, so you "
        "name the right stability pattern when a dependency dies.",
    ),
    (
        "Building Microservices (Second Edition)",
        "book",
        "https://www.oreilly.com/library/view/building-microservices-2nd/9781492034018/",
        "Sam Newman",
        "16.0",
        ("high-level-design", "api-design"),
        "Drawing service boundaries, choosing sync or async calls and evolving interfaces, for the "
        "component-diagram half of the interview.",
    ),
    (
        "Accelerate",
        "book",
        "https://itrevolution.com/product/accelerate/",
        "Nicole Forsgren, Jez Humble, Gene Kim",
        "6.0",
        ("operability",),
        "The research behind deployment frequency, lead time, change failure rate and restore "
        "time, so you can argue for a delivery pipeline with evidence.",
    ),
    (
        "Staff Engineer: Leadership Beyond the Management Track",
        "book",
        "https://staffeng.com/book",
        "Will Larson",
        "8.0",
        ("communication",),
        "How senior engineers write strategy, build consensus and present to peers: practice for "
        "driving the discussion instead of waiting for prompts.",
    ),
    (
        "The Staff Engineer's Path",
        "book",
        "https://www.oreilly.com/library/view/the-staff-engineers/9781098118723/",
        "Tanya Reilly",
        "10.0",
        ("communication", "requirements"),
        "Mapping the big picture, framing the real problem and writing to align people: the habits "
        "behind scoping a question and narrating tradeoffs aloud.",
    ),
    (
        "Working Backwards",
        "book",
        "https://www.workingbackwards.com/",
        "Colin Bryar, Bill Carr",
        "8.0",
        ("requirements", "communication"),
        "Amazon's PR/FAQ habit of starting from the customer, which trains you to open by pinning "
        "down users, use cases and how success is measured.",
    ),
    (
        "High Performance Browser Networking",
        "book",
        "https://hpbn.co/",
        "Ilya Grigorik",
        "12.0",
        ("real-time", "estimation"),
        "Latency, TCP, HTTP/2, WebSocket, server-sent events and polling costs from first "
        "principles, so you can pick a push transport and defend it.",
    ),
    (
        "API Design Patterns",
        "book",
        "https://www.manning.com/books/api-design-patterns",
        "JJ Geewax",
        "15.0",
        ("api-design",),
        "Resource naming, pagination, filtering, long-running operations and versioning with their "
        "tradeoffs, to sketch an API that survives follow-up questions.",
    ),
    # --- Papers ---
    (
        "Dynamo: Amazon's Highly Available Key-value Store",
        "paper",
        "https://www.allthingsdistributed.com/files/amazon-dynamo-sosp2007.pdf",
        "Giuseppe DeCandia et al.",
        "3.0",
        ("reliability", "data-modeling", "concurrency"),
        "Consistent hashing, sloppy quorums, vector clocks and hinted handoff in one system: the "
        "vocabulary for any always-writable store question.",
    ),
    (
        "Bigtable: A Distributed Storage System for Structured Data",
        "paper",
        "https://research.google/pubs/bigtable-a-distributed-storage-system-for-structured-data/",
        "Fay Chang et al.",
        "3.0",
        ("data-modeling", "scalability"),
        "Row-key design, column families and tablet splits, showing how the key you choose drives "
        "locality and load in a wide-column store.",
    ),
    (
        "The Google File System",
        "paper",
        "https://research.google/pubs/the-google-file-system/",
        "Sanjay Ghemawat, Howard Gobioff, Shun-Tak Leung",
        "3.0",
        ("scalability", "reliability"),
        "One master, replicated chunks and relaxed consistency: a model answer for designing blob "
        "storage on machines that are expected to fail.",
    ),
    (
        "Spanner: Google's Globally-Distributed Database",
        "paper",
        "https://www.usenix.org/conference/osdi12/technical-sessions/presentation/corbett",
        "James C. Corbett et al.",
        "4.0",
        ("concurrency", "reliability"),
        "How bounded clock uncertainty buys externally consistent transactions across regions, and "
        "what it costs in commit latency.",
    ),
    (
        "In Search of an Understandable Consensus Algorithm",
        "paper",
        "https://raft.github.io/raft.pdf",
        "Diego Ongaro, John Ousterhout",
        "3.0",
        ("concurrency", "reliability"),
        "Raft's leader election and log replication explained plainly, so you can say what a "
        "consensus-backed coordinator guarantees and when it stalls.",
    ),
    (
        "Time, Clocks, and the Ordering of Events in a Distributed System",
        "paper",
        "https://lamport.azurewebsites.net/pubs/time-clocks.pdf",
        "Leslie Lamport",
        "2.0",
        ("concurrency",),
        "Happened-before and logical clocks: why wall-clock timestamps cannot order events across "
        "machines, and what to use instead.",
    ),
    (
        "Scaling Memcache at Facebook",
        "paper",
        "https://www.usenix.org/conference/nsdi13/technical-sessions/presentation/nishtala",
        "Rajesh Nishtala et al.",
        "3.0",
        ("caching", "scalability"),
        "Look-aside caching at huge scale: leases against stampedes and stale sets, invalidation "
        "from the database log, and replication across regions.",
    ),
    (
        "TAO: Facebook's Distributed Data Store for the Social Graph",
        "paper",
        "https://www.usenix.org/conference/atc13/technical-sessions/presentation/bronson",
        "Nathan Bronson et al.",
        "3.0",
        ("caching", "data-modeling"),
        "Objects and associations served through a write-through cache tier over MySQL: a template "
        "for read-heavy social graph models.",
    ),
    (
        "Kafka: a Distributed Messaging System for Log Processing",
        "paper",
        "https://www.microsoft.com/en-us/research/wp-content/uploads/2017/09/Kafka.pdf",
        "Jay Kreps, Neha Narkhede, Jun Rao",
        "2.0",
        ("real-time", "scalability", "high-level-design"),
        "Partitioned append-only logs with consumer-tracked offsets, showing why a log scales for "
        "event pipelines where classic queues struggle.",
    ),
    (
        "The Tail at Scale",
        "paper",
        "https://research.google/pubs/the-tail-at-scale/",
        "Jeffrey Dean, Luiz André Barroso",
        "2.0",
        ("scalability", "estimation"),
        "Why fan-out magnifies rare slow responses and how hedged requests help, so your latency "
        "estimates reason about p99 and not only averages.",
    ),
    (
        "End-to-End Arguments in System Design",
        "paper",
        "https://web.mit.edu/Saltzer/www/publications/endtoend/endtoend.pdf",
        "J. H. Saltzer, D. P. Reed, D. D. Clark",
        "2.0",
        ("high-level-design", "reliability"),
        "The classic case for putting guarantees at the endpoints, which settles where checks, "
        "retries and deduplication belong in a design.",
    ),
    (
        "Architectural Styles and the Design of Network-based Software Architectures, Chapter 5: "
        "Representational State Transfer (REST)",
        "paper",
        "https://ics.uci.edu/~fielding/pubs/dissertation/rest_arch_style.htm",
        "Roy Thomas Fielding",
        "2.0",
        ("api-design", "high-level-design"),
        "The original REST constraints (stateless, cacheable, uniform interface), so you can say "
        "what REST actually requires and when RPC fits better.",
    ),
    # --- Talks, articles and courses ---
    (
        "Designs, Lessons and Advice from Building Large Distributed Systems",
        "talk",
        "https://www.cs.cornell.edu/projects/ladis2009/talks/dean-keynote-ladis2009.pdf",
        "Jeff Dean",
        "1.5",
        ("estimation", "scalability"),
        "Jeff Dean's numbers everyone should know with worked back-of-the-envelope examples, and "
        "how Google shapes systems for growth (keynote slides).",
    ),
    (
        "Latency Numbers Every Programmer Should Know",
        "article",
        "https://colin-scott.github.io/personal_website/research/interactive_latency.html",
        "Colin Scott, after Jeff Dean and Peter Norvig",
        "0.5",
        ("estimation",),
        "Memory, disk, network and cross-region costs by year: the constants behind quick "
        "throughput and latency estimates.",
    ),
    (
        "Napkin Math",
        "article",
        "https://github.com/sirupsen/napkin-math",
        "Simon Eskildsen",
        "2.0",
        ("estimation",),
        "Measured throughput and cost numbers for storage, network and compute, with practice "
        "problems that make capacity estimates quick and defensible.",
    ),
    (
        "The System Design Primer",
        "course",
        "https://github.com/donnemartin/system-design-primer",
        "Donne Martin",
        "20.0",
        ("requirements", "estimation", "high-level-design", "communication"),
        "A structured run through the interview: clarify use cases, estimate load, sketch, then "
        "scale, with solved exercises to practise the whole arc.",
    ),
    (
        "Service Level Objectives",
        "article",
        "https://sre.google/sre-book/service-level-objectives/",
        "Chris Jones, John Wilkes, Niall Murphy, Cody Smith",
        "1.0",
        ("requirements", "reliability"),
        "Turning vague needs into SLIs and SLO targets, so your non-functional requirements come "
        "with numbers the interviewer can check.",
    ),
    (
        "Monitoring Distributed Systems",
        "article",
        "https://sre.google/sre-book/monitoring-distributed-systems/",
        "Rob Ewaschuk",
        "1.0",
        ("operability",),
        "The four golden signals and alerting on symptoms rather than causes: a compact checklist "
        "for the monitoring part of any design.",
    ),
    (
        "Painless Functional Specifications",
        "article",
        "https://www.joelonsoftware.com/2000/10/02/"
        "painless-functional-specifications-part-1-why-bother/",
        "Joel Spolsky",
        "1.5",
        ("requirements", "communication"),
        "Why and how to write down what a product does from the user's side, non-goals included: "
        "sharpens the scoping minutes that open an interview.",
    ),
    (
        "Design Docs at Google",
        "article",
        "https://www.industrialempathy.com/posts/design-docs-at-google/",
        "Malte Ubl",
        "0.5",
        ("communication", "requirements", "high-level-design"),
        "Context, goals, non-goals and alternatives considered: the shape of a design doc doubles "
        "as a running order for presenting a design aloud.",
    ),
    (
        "The Log: What every software engineer should know about real-time data's unifying "
        "abstraction",
        "article",
        "https://engineering.linkedin.com/distributed-systems/"
        "log-what-every-software-engineer-should-know-about-real-time-datas-unifying",
        "Jay Kreps",
        "2.0",
        ("real-time", "data-modeling", "high-level-design"),
        "The log as the backbone of replication, integration and stream processing, so you can put "
        "a change stream at the centre of a design and explain why.",
    ),
    (
        "Designing robust and predictable APIs with idempotency",
        "article",
        "https://stripe.com/blog/idempotency",
        "Brandur Leach",
        "0.5",
        ("api-design", "reliability"),
        "Idempotency keys, retries with backoff and how the server remembers results, ready to "
        "apply to any payment or booking endpoint you design.",
    ),
    (
        "Google API Design Guide",
        "article",
        "https://cloud.google.com/apis/design",
        "Google Cloud",
        "4.0",
        ("api-design",),
        "Resource-oriented names, standard methods, page tokens and error models used across "
        "Google's APIs, to structure your endpoint list.",
    ),
    (
        "Evolving API Pagination at Slack",
        "article",
        "https://slack.engineering/evolving-api-pagination-at-slack/",
        "Slack Engineering",
        "0.5",
        ("api-design",),
        "Why offset pagination breaks on changing data and how opaque cursors fix it: the "
        "follow-up question on every list endpoint.",
    ),
    (
        "Real-time Messaging",
        "article",
        "https://slack.engineering/real-time-messaging/",
        "Slack Engineering",
        "1.0",
        ("real-time", "scalability"),
        "How Slack routes one message through channel and gateway servers to many open WebSockets: "
        "a reference architecture for chat fan-out.",
    ),
    (
        "How Discord Stores Billions of Messages",
        "article",
        "https://discord.com/blog/how-discord-stores-billions-of-messages",
        "Stanislav Vishnevskiy",
        "1.0",
        ("data-modeling", "real-time", "scalability"),
        "Picking Cassandra, designing a channel and time-bucket partition key, and what went wrong "
        "in production: a model data-modeling walkthrough for chat.",
    ),
    (
        "Caching challenges and strategies",
        "article",
        "https://aws.amazon.com/builders-library/caching-challenges-and-strategies/",
        "Matt Brinkley, Jas Chhabra",
        "1.0",
        ("caching", "reliability"),
        "Local versus external caches, TTLs, negative caching and what happens when the cache is "
        "cold or down: the follow-up questions on any cache.",
    ),
    (
        "Timeouts, retries, and backoff with jitter",
        "article",
        "https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",
        "Marc Brooker",
        "1.0",
        ("reliability",),
        "How to set timeouts, cap retries and add jitter so a slow dependency does not snowball "
        "into an outage: crisp answers on failure handling.",
    ),
    (
        "How to do distributed locking",
        "article",
        "https://martin.kleppmann.com/2016/02/08/how-to-do-distributed-locking.html",
        "Martin Kleppmann",
        "1.0",
        ("concurrency",),
        "Why a lease-based lock needs fencing tokens to be safe and where Redis locks fall short: "
        "for every 'two workers take the same job' question.",
    ),
    (
        "Consistency Models",
        "article",
        "https://jepsen.io/consistency",
        "Kyle Kingsbury (Jepsen)",
        "1.5",
        ("concurrency",),
        "A map of linearizable, serializable, causal and weaker models, so you name the guarantee "
        "your design needs instead of just saying 'consistent'.",
    ),
    (
        "Patterns of Distributed Systems",
        "article",
        "https://martinfowler.com/articles/patterns-of-distributed-systems/",
        "Unmesh Joshi",
        "4.0",
        ("concurrency", "reliability"),
        "Named patterns such as write-ahead log, leader and followers, high-water mark and "
        "generation clock, for describing replication precisely.",
    ),
    (
        "Microservices",
        "article",
        "https://martinfowler.com/articles/microservices.html",
        "James Lewis, Martin Fowler",
        "1.0",
        ("high-level-design",),
        "The defining traits of microservices and what they cost, so you can justify splitting, or "
        "not splitting, a service in your design.",
    ),
    (
        "The Twelve-Factor App",
        "article",
        "https://12factor.net/",
        "Adam Wiggins",
        "1.0",
        ("operability",),
        "Config in the environment, stateless processes, fast disposal and logs as streams: a "
        "checklist for making a design deployable and easy to scale out.",
    ),
    (
        "How Complex Systems Fail",
        "article",
        "https://how.complexsystems.fail/",
        "Richard I. Cook",
        "0.5",
        ("reliability", "operability"),
        "Short observations on why outages need several faults at once and why hindsight misleads, "
        "useful when you discuss redundancy and postmortems.",
    ),
    (
        "Principles of Chaos Engineering",
        "article",
        "https://principlesofchaos.org/",
        "Netflix chaos engineering community",
        "0.5",
        ("reliability", "operability"),
        "The Netflix-born method of injecting failure in production to test resilience, to show "
        "how you would prove your redundancy really works.",
    ),
)


def add_catalogue(apps, schema_editor):
    Resource = apps.get_model("studyplans", "Resource")
    SkillArea = apps.get_model("accounts", "SkillArea")
    areas = {area.slug: area for area in SkillArea.objects.all()}
    for title, kind, url, author, hours, slugs, description in CATALOGUE:
        # A missing slug means the skill areas changed under us: fail loudly rather than seed a
        # resource the plan generator can never pick.
        missing = set(slugs) - set(areas)
        if missing:
            raise ValueError(f"{title!r} names unknown skill areas: {sorted(missing)}")
        resource, _ = Resource.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "url": url,
                "author": author,
                "hours": Decimal(hours),
                "description": description,
                "is_active": True,
            },
        )
        resource.skill_areas.set([areas[slug] for slug in slugs])


def remove_catalogue(apps, schema_editor):
    Resource = apps.get_model("studyplans", "Resource")
    Resource.objects.filter(title__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("studyplans", "0001_initial"), ("accounts", "0002_skill_areas")]

    operations = [migrations.RunPython(add_catalogue, remove_catalogue)]
