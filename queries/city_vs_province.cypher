// Measures of a city plan next to the provincial plan it implements.
//
// Plan -IMPLEMENTS-> Plan links the city plan to the provincial plan; each measure of the city
// plan is listed with the provincial plan and, where the corpus-level derivation found one, the
// provincial measure it takes over (DERIVED_FROM) or resembles (SIMILAR_TO, either direction).
// The plans' region levels are given when known (IN_REGION -> Region.level).
MATCH (city:Plan)-[:IMPLEMENTS]->(prov:Plan)
MATCH (cm:Measure)-[:PART_OF]->(city)
OPTIONAL MATCH (city)-[:IN_REGION]->(cr:Region)
OPTIONAL MATCH (prov)-[:IN_REGION]->(pr:Region)
OPTIONAL MATCH (pm:Measure)-[:PART_OF]->(prov)
  WHERE (cm)-[:DERIVED_FROM]->(pm) OR (cm)-[:SIMILAR_TO]-(pm)
RETURN DISTINCT city.name AS city_plan, cm.seq AS city_seq, cm.number AS city_number, cm.text AS city_text,
       prov.name AS province_plan, pm.number AS province_number, pm.text AS province_text,
       cr.level AS city_level, pr.level AS province_level,
       cm.id AS city_measure, pm.id AS province_measure, city.id AS city_plan_id, prov.id AS province_plan_id
ORDER BY city_plan, city_seq, city_number, province_number
