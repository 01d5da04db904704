// Measure lineage (lineage_derived.rq): measures that take over a measure of another plan
// (DERIVED_FROM, derived by graph/lineage.py) with score, basis (implements | parent_jurisdiction),
// both plans, both texts and the evidence spans of both measures.
// To ask about one plan, add  WHERE plan.id = $plan  (or source_plan.id = $source_plan).
MATCH (m:Measure)-[d:DERIVED_FROM]->(s:Measure)
MATCH (m)-[:PART_OF]->(plan:Plan)
MATCH (s)-[:PART_OF]->(source_plan:Plan)
RETURN m.id AS measure, s.id AS source, d.score AS score, d.basis AS basis,
       plan.id AS plan, plan.name AS plan_name, plan.jurisdiction AS jurisdiction,
       source_plan.id AS source_plan, source_plan.name AS source_plan_name,
       source_plan.jurisdiction AS source_jurisdiction, m.number AS number, s.number AS source_number,
       m.text AS text, s.text AS source_text, d.evidence_text AS evidence_text
ORDER BY plan, measure
