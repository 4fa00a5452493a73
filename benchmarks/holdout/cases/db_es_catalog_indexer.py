from elasticsearch import Elasticsearch, helpers

es = Elasticsearch("http://search:9200")  # expect-none


def index_products(products):
    for product in products:
        es.index(index="products", id=product["sku"], document={"name": product["name"], "price": product["price"]})  # expect: L2


def index_products_bulk(products):
    actions = (
        {"_index": "products", "_id": p["sku"], "_source": {"name": p["name"], "price": p["price"]}}  # expect-none
        for p in products
    )
    helpers.bulk(es, actions, chunk_size=500)  # expect-none


def reindex_changed(changed_skus, load_product):
    for sku in changed_skus:
        product = load_product(sku)
        es.index(index="products", id=sku, document=product)  # expect: L2


def ensure_indices():
    for name in ("products", "categories"):
        if not es.indices.exists(index=name):  # expect-none
            es.indices.create(index=name)  # expect-none
