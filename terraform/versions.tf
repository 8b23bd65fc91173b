terraform {
  required_version = ">= 1.5"

  required_providers {
    # The offline tests check every resource against the schema of google 6.50.0.
    google = {
      source  = "hashicorp/google"
      version = ">= 6.50, < 7.0"
    }
    # Only for the Firebase link and the service identities, which google 6.x has in beta only.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.50, < 7.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.7, < 3.0"
    }
  }
}
