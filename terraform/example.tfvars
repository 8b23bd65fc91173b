# cp example.tfvars terraform.tfvars, then edit.
project_id = "my-ferry-project"
region     = "us-central1"

# The project already has Firebase (e.g. an app uses it): don't add it again.
# firebase = { add_project = false }

# Bigger instances for a heavy golden set:
# functions = { validatePredictions = { memory_mb = 2048 } }
