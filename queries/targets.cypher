// Targets by indicator and year: every quantified target with its value, unit and qualifier,
// what sets it (a measure or a plan) and the plan it belongs to.
//
// To ask about one indicator or year, add  AND t.indicator = $indicator  /  AND t.year = 2025
// to the WHERE (not every target states a year).
MATCH (t:Target)
WHERE t.indicator IS NOT NULL AND t.value IS NOT NULL
OPTIONAL MATCH (s)-[:SETS_TARGET]->(t)
OPTIONAL MATCH (s)-[:PART_OF]->(mp:Plan)
WITH t, s, CASE WHEN s:Plan THEN s ELSE mp END AS plan
RETURN DISTINCT t.indicator AS indicator, t.year AS year, t.value AS value, t.unit AS unit,
       t.qualifier AS qualifier, t.jurisdiction AS jurisdiction, s.name AS set_by, plan.name AS plan,
       t.id AS target_id, s.id AS set_by_id, plan.id AS plan_id
ORDER BY indicator, year, value, target_id
