// Which agencies lead or own which platforms?
//
// how = "LEADS": the agency leads (牵头) a measure that mentions the platform;
// how = "OWNS":  the agency builds, runs or is in charge of the platform as the texts say
//                (loaders/ownership.py), with the rule (basis), its confidence and the documents.
// To ask about one agency, add  WHERE a.name = $agencyName  after each MATCH.
CALL {
  MATCH (a:Agency)-[:LEADS]->(:Measure)-[:MENTIONS]->(p:Platform)
  RETURN DISTINCT a, p, 'LEADS' AS how, null AS confidence, null AS basis
  UNION
  MATCH (a:Agency)-[o:OWNS]->(p:Platform)
  RETURN a, p, 'OWNS' AS how, o.confidence AS confidence, o.basis AS basis
}
RETURN a.name AS agency, p.name AS platform, how, confidence, basis, a.id AS agency_id, p.id AS platform_id
ORDER BY agency, platform, how
