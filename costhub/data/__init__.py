"""Load, validate and freeze: data/*.yml and their schemas in, a typed, frozen SiteData (records with their lines) out."""
