from string import Template

import jinja2

REMINDER_SRC = "Hello {{ name }}, your plan {{ plan }} renews on {{ renew_on }}."
env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=True)
REMINDER = env.from_string(REMINDER_SRC)
SUBJECT = Template("Your $plan plan")


def reminder_bodies(subscriptions):
    bodies = []
    for sub in subscriptions:
        tpl = jinja2.Template(REMINDER_SRC)  # expect: L3
        bodies.append(tpl.render(name=sub.owner, plan=sub.plan, renew_on=sub.renews))
    return bodies


def reminder_bodies_v2(subscriptions):
    return [REMINDER.render(name=s.owner, plan=s.plan, renew_on=s.renews) for s in subscriptions]  # expect-none


def subjects(subscriptions):
    return [Template("Your $plan plan").substitute(plan=s.plan) for s in subscriptions]  # expect-none


def per_locale_bodies(subscriptions):
    out = []
    for sub in subscriptions:
        tpl = env.get_template(f"reminder.{sub.locale}.txt")  # expect-none
        out.append(tpl.render(name=sub.owner, plan=sub.plan))
    return out


async def render_digest(items, header: str):
    lines = []
    async for item in items:
        line_tpl = jinja2.Template("{{ title }} ({{ price }})")  # expect: L3
        lines.append(line_tpl.render(title=item.title, price=item.price))
    return header + "\n".join(lines)
