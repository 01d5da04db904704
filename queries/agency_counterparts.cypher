// Counterparts: each agency and the agency of the same function one level up (COUNTERPART_OF,
// derived from function + jurisdiction by graph/counterparts.py).
//
// To ask about one function, add  WHERE r.function = $function  (e.g. "big_data").
MATCH (lower:Agency)-[r:COUNTERPART_OF]->(upper:Agency)
RETURN lower.name AS lower_name, upper.name AS upper_name, r.function AS function,
       lower.name_en AS lower_en, upper.name_en AS upper_en, lower.id AS lower_id, upper.id AS upper_id
ORDER BY function, lower_name, upper_name
