// A platform's timeline (series_platform_timeline.rq): every plan that names the platform ($platform,
// e.g. 'platform:爱山东') or one of its branches, with year, jurisdiction, whether a measure or the
// document names it, and the agencies leading the measures.
MATCH (p:Platform {id: $platform})
OPTIONAL MATCH (b:Platform)-[:BRANCH_OF]->(p)
WITH p, [x IN [p] + collect(b) WHERE x IS NOT NULL] AS named
UNWIND named AS n
MATCH (src)-[:MENTIONS]->(n)
WHERE src:Measure OR src:Document
OPTIONAL MATCH (src)-[:PART_OF]->(mp:Plan)
OPTIONAL MATCH (pp:Plan)-[:PUBLISHED_IN]->(src)
OPTIONAL MATCH (src)-[:REPORTS_ON]->(rp:Plan)
OPTIONAL MATCH (lead:Agency)-[:LEADS]->(src)
WITH p, n, src, coalesce(mp, pp, rp) AS plan, collect(DISTINCT lead.name) AS leads
WHERE plan IS NOT NULL
RETURN DISTINCT p.id AS platform, CASE WHEN n.id = p.id THEN 'platform' ELSE 'branch' END AS role,
       n.id AS named, n.name AS named_name, plan.year AS year, plan.jurisdiction AS jurisdiction,
       plan.id AS plan, plan.name AS plan_name,
       CASE WHEN src:Measure THEN 'measure' ELSE 'document' END AS via, src.id AS source, leads
ORDER BY role, named, year, jurisdiction, plan, source
