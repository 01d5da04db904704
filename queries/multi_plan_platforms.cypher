// Platforms named by more than one plan.
//
// A plan names a platform when one of its measures mentions it (Measure -MENTIONS-> Platform,
// Measure -PART_OF-> Plan) or when the document the plan is published in mentions it
// (Plan -PUBLISHED_IN-> Document -MENTIONS-> Platform). Branches (爱山东·滨州) count separately.
CALL {
  MATCH (plan:Plan)<-[:PART_OF]-(:Measure)-[:MENTIONS]->(p:Platform)
  RETURN plan, p
  UNION
  MATCH (plan:Plan)-[:PUBLISHED_IN]->(:Document)-[:MENTIONS]->(p:Platform)
  RETURN plan, p
}
WITH p, collect(DISTINCT plan) AS plans
WHERE size(plans) > 1
RETURN p.name AS platform, size(plans) AS plan_count, [x IN plans | x.name] AS plans, p.id AS platform_id
ORDER BY plan_count DESC, platform
