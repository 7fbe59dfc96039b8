// name: entity_neighbourhood
// description: Everything one step from an entity: each relationship in or out of it, with its direction, type, role and other qualifiers, the entity at the other end, and the sources and attributions behind it; optionally only one relationship type.
// param entity: string -- id of the entity, e.g. eu-critical-materials-stockpile
// param relation: string = null -- only relationships of this type, e.g. LEADS
MATCH (e:Entity {id: $entity})-[r]-(other:Entity)
WHERE $relation IS NULL OR type(r) = $relation
RETURN CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction, type(r) AS relation,
       other.id AS other, other.name AS name, other.class AS class, r.role AS role,
       coalesce(r.signedOn, r.adoptedOn, r.announcedOn, r.startedOn) AS date,
       r.endedOn AS endedOn, r.note AS note, r.attributedTo AS attributedTo,
       r.sources AS sources
ORDER BY direction DESC, relation, other
