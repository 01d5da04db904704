// Near-identical measures of different documents (lineage_similar.rq): SIMILAR_TO pairs with score and
// both measures' plans. SIMILAR_TO is symmetric: one relationship per pair.
MATCH (m:Measure)-[r:SIMILAR_TO]->(o:Measure)
OPTIONAL MATCH (m)-[:PART_OF]->(plan:Plan)
OPTIONAL MATCH (o)-[:PART_OF]->(other_plan:Plan)
RETURN m.id AS measure, o.id AS other, r.score AS score, plan.id AS plan, other_plan.id AS other_plan,
       plan.jurisdiction AS jurisdiction, other_plan.jurisdiction AS other_jurisdiction,
       m.text AS text, o.text AS other_text
ORDER BY score DESC, measure, other
