import io
from decimal import Decimal


class DigestEmail:
    def __init__(self, recipient):
        self.recipient = recipient
        self.html = ""
        self.total = Decimal("0")

    def add_orders(self, orders):
        for order in orders:
            self.html += f"<tr><td>{order.ref}</td><td>{order.amount}</td></tr>"  # expect: L1
            self.total += order.amount  # expect-none

    def footer(self):
        for part in ("<hr>", "</table>"):
            self.html += part  # expect-none


def render_table(orders) -> str:
    buf = io.StringIO()
    for order in orders:
        buf.write(f"<tr><td>{order.ref}</td></tr>")  # expect-none
    return buf.getvalue()


def render_lines(orders) -> str:
    text = ""
    for order in orders:
        text = text + order.ref + ": " + str(order.amount) + "\n"  # expect: L1
    return text


def render_lines_join(orders) -> str:
    return "".join(f"{o.ref}: {o.amount}\n" for o in orders)  # expect-none
