// All measures an agency leads, with the plan each belongs to.
//
// To ask about one agency, add  WHERE a.name = $agencyName  (or, for an alias such as 省大数据局,
// WHERE $alias IN a.aliases) after the MATCH.
MATCH (a:Agency)-[:LEADS]->(m:Measure)-[:PART_OF]->(p:Plan)
RETURN a.name AS agency, m.number AS number, m.text AS text, p.name AS plan, p.title AS plan_title,
       p.jurisdiction AS jurisdiction, m.seq AS seq, a.id AS agency_id, m.id AS measure_id, p.id AS plan_id
ORDER BY agency, plan, seq, number
