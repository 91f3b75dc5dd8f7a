{{- define "redress.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "redress.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The environment every Redress process shares: Temporal (worker/temporal-config.ts) and the Secret. */}}
{{- define "redress.env" -}}
- name: TEMPORAL_ADDRESS
  value: {{ required "temporal.address is required" .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: TEMPORAL_TASK_QUEUE
  value: {{ .Values.temporal.taskQueue | quote }}
{{- if .Values.temporal.tls.enabled }}
- name: TEMPORAL_TLS
  value: "true"
- name: TEMPORAL_TLS_CLIENT_CERT_PATH
  value: /etc/redress/temporal-tls/tls.crt
- name: TEMPORAL_TLS_CLIENT_KEY_PATH
  value: /etc/redress/temporal-tls/tls.key
{{- if .Values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.tls.serverName | quote }}
{{- end }}
{{- end }}
{{- if .Values.temporal.apiKey.secretName }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef: { name: {{ .Values.temporal.apiKey.secretName | quote }}, key: {{ .Values.temporal.apiKey.key | quote }} }
{{- end }}
- name: MAIL_FROM
  value: {{ .Values.mailFrom | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end -}}

{{- define "redress.envFrom" -}}
- secretRef:
    name: {{ required "existingSecret is required (DATABASE_URL, REDRESS_PAYLOAD_KEYS, REDRESS_CHECKPOINT_KEY, REDRESS_CHECKPOINT_PUBLIC_KEY, SMTP_URL)" .Values.existingSecret | quote }}
{{- end -}}

{{- define "redress.tlsVolume" -}}
{{- if .Values.temporal.tls.enabled }}
- name: temporal-tls
  secret:
    secretName: {{ required "temporal.tls.secretName is required when temporal.tls.enabled" .Values.temporal.tls.secretName | quote }}
{{- end }}
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "redress.tlsMount" -}}
{{- if .Values.temporal.tls.enabled }}
- name: temporal-tls
  mountPath: /etc/redress/temporal-tls
  readOnly: true
{{- end }}
- name: tmp
  mountPath: /tmp
{{- end -}}
