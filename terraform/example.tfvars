# cp example.tfvars terraform.tfvars, then edit.
project_id = "my-ferry-project"
region     = "us-central1"

# The project already has Firebase (e.g. an app uses it): don't add it again.
# firebase = { add_project = false }

# Bigger instances for a heavy golden set:
# functions = { validatePredictions = { memory_mb = 2048 } }

# Post run outcomes to a chat room: a Secret Manager secret holding a Slack or Google Chat
# incoming-webhook URL (gcloud secrets create ferry-webhook --data-file=url.txt).
# notify_webhook_secret = "ferry-webhook"

# Where Cloud Monitoring alerts go (dead letters waiting, a run failed, an approval overdue).
# notification_channels = ["projects/my-ferry-project/notificationChannels/123"]

# Workflow environments in other projects (environments[].project in a workflow file): the
# functions get Vertex AI User there, and each project's Vertex AI service agent may read the
# artifacts bucket. Leave it out when every environment is in project_id (any region).
# environment_projects = ["my-ferry-prod"]
