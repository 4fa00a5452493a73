import pymysql


def reprice(conn: pymysql.connections.Connection, changes: dict[str, float]) -> None:
    cursor = conn.cursor()
    try:
        for sku, price in changes.items():
            cursor.execute("UPDATE products SET price = %s WHERE sku = %s", (price, sku))  # expect: L2
        conn.commit()
    finally:
        cursor.close()


def reprice_many(conn: pymysql.connections.Connection, changes: dict[str, float]) -> None:
    with conn.cursor() as cursor:
        cursor.executemany("UPDATE products SET price = %s WHERE sku = %s", [(p, s) for s, p in changes.items()])  # expect-none
    conn.commit()


def stock_for(conn, skus):
    levels = {}
    with conn.cursor() as cursor:
        i = 0
        while i < len(skus):
            cursor.execute("SELECT qty FROM stock WHERE sku = %s", (skus[i],))  # expect: L2
            row = cursor.fetchone()
            levels[skus[i]] = row[0] if row else 0
            i += 1
    return levels


def save_with_retry(conn, sql, params, attempts=3):
    for attempt in range(attempts):
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)  # expect-none
            conn.commit()
            return
        except pymysql.err.OperationalError:
            conn.ping(reconnect=True)
    raise RuntimeError("gave up")
