{{/* Chart name, truncated to the 63 characters Kubernetes allows in a label. */}}
{{- define "onfs.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name for every object of the chart. */}}
{{- define "onfs.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "onfs.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "onfs.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component (server or consumer). */}}
{{- define "onfs.selectorLabels" -}}
app.kubernetes.io/name: {{ include "onfs.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The image, tagged with the chart's appVersion unless a tag is given. */}}
{{- define "onfs.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if eq $tag "latest" }}
{{- fail "image.tag: 'latest' is not allowed; pin a version" }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{- define "onfs.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "onfs.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret whose keys become environment variables, empty when there is none. */}}
{{- define "onfs.secretName" -}}
{{- if .Values.secret.existingSecret }}
{{- .Values.secret.existingSecret }}
{{- else if .Values.secret.env }}
{{- include "onfs.fullname" . }}
{{- end }}
{{- end }}

{{- define "onfs.grpcPort" -}}
{{- index .Values.server.config "grpc-port" | default 8089 | int }}
{{- end }}

{{- define "onfs.httpPort" -}}
{{- index .Values.server.config "http-port" | default 8090 | int }}
{{- end }}

{{- define "onfs.consumerHttpPort" -}}
{{- index .Values.consumer.config "http-port" | default 8091 | int }}
{{- end }}
