"""Triple stores: the SPARQL query client, loading by Graph Store Protocol PUT or by SPARQL 1.1 Update.

Either way of loading leaves a store with the old version of the graph or the new one, never a mix.
"""

from iscm_kg.stores.graph_store import graph_term, load, put_ntriples, query_endpoint_for_store
from iscm_kg.stores.http import Progress, StoreError, set_timeout
from iscm_kg.stores.sparql import count_triples
from iscm_kg.stores.update import BATCH_TRIPLES, GENID, load_by_update, query_endpoint_for, skolemise

__all__ = ["BATCH_TRIPLES", "GENID", "Progress", "count_triples", "graph_term", "load", "load_by_update",
           "put_ntriples", "query_endpoint_for", "query_endpoint_for_store", "set_timeout", "skolemise", "StoreError"]
