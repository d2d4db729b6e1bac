"""R7 daily plans: customers to contact, the visit route, materials, resource requests."""
