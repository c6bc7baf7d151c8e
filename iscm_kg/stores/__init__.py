"""Triple stores: the SPARQL query client, loading by Graph Store Protocol PUT or by SPARQL 1.1 Update.

Either way of loading leaves a store with the old version of the graph or the new one, never a mix.
"""

from iscm_kg.stores.graph_store import graph_term, load, put_ntriples, query_endpoint_for_store
from iscm_kg.stores.http import Progress, StoreError, set_timeout
from iscm_kg.stores.update import BATCH_TRIPLES, batches, count_triples, load_by_update, query_endpoint_for

__all__ = ["BATCH_TRIPLES", "Progress", "batches", "count_triples", "graph_term", "load", "load_by_update",
           "put_ntriples", "query_endpoint_for", "query_endpoint_for_store", "set_timeout", "StoreError"]
