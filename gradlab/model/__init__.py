"""GradLab's application state and rules, without Qt: what the labs are doing and what a change
means. The Qt views subscribe to these models' events; the controllers drive them."""
